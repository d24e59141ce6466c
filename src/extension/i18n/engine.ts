// Texts for the messages the sync engine writes into logs and refusals (src/sync emits only
// keys and arguments). German first; tests/extension/engine-messages.test.ts checks that every
// key the engine can emit is translated in both languages.
export const engineDe = {
  action: {
    link: 'Personen verknüpfen & Eigenschaften vereinheitlichen',
    import: 'Personen importieren',
    export: 'Personen exportieren',
    updateProperties: 'Eigenschaften aktualisieren',
    importProperties: 'Eigenschaften importieren',
    exportProperties: 'Eigenschaften exportieren',
    archiveInChurchTools: 'Personen im eigenen System archivieren',
    deleteInChurchTools: 'Personen im eigenen System löschen',
    archiveInOptigem: 'Personen im verbundenen System archivieren',
    deleteInOptigem: 'Personen im verbundenen System löschen',
    restore: 'Verknüpfung wiederherstellen',
    pairs: 'Paare pflegen',
    preflight: 'Vorabprüfung',
  },
  log: {
    create: {
      created: 'Neu angelegt und verknüpft.',
      exists: 'Nicht angelegt: Es gibt schon eine passende Person ({matches}). Zum Verknüpfen „Verknüpfen & vereinheitlichen“ wählen oder von Hand verknüpfen.',
      bookingExists: 'Nicht angelegt: Es gibt schon eine gleiche Buchung ({matches}). Zum Verknüpfen „Buchungen verknüpfen & vereinheitlichen“ wählen.',
    },
    link: {
      linked: 'Verknüpft.',
      linkedKeptDifferences: 'Verknüpft; abweichende Werte wurden auf beiden Seiten gelassen („nur leere Felder füllen“).',
      unified: 'Beim Verknüpfen angeglichen: {fields}.',
      duplicate: 'Nicht verknüpft: mehrere gleich gute Kandidaten ({candidates}). Bitte von Hand verknüpfen oder die Doppelung bereinigen.',
      bookingDuplicate: 'Nicht verknüpft: mehrere gleiche Buchungen ({candidates}). Bitte von Hand verknüpfen oder eine Buchung unterscheidbar machen (z. B. Belegnummer).',
    },
    update: {
      newer: 'Aktualisiert ({fields}) mit den neueren Werten.',
      imported: 'Aus Optigem übernommen: {fields}.',
      exported: 'Nach Optigem übertragen: {fields}.',
      locked: 'Nicht geändert ({fields}): Die Buchung ist festgeschrieben. Änderungen bitte über eine Storno-Buchung.',
    },
    conflict: {
      bothChanged: 'Konflikt: {fields} wurde seit dem letzten Abgleich auf beiden Seiten geändert. Nichts überschrieben; bitte auf einer Seite korrigieren.',
      undecidable: 'Konflikt: Für {fields} lässt sich nicht entscheiden, welcher Wert neuer ist. Nichts überschrieben.',
    },
    pair: {
      synced: 'Paar ist wieder abgeglichen.',
      conflict: 'Paar hat einen Konflikt.',
      partnerGone: 'Der verknüpfte Datensatz existiert im System {system} nicht mehr.',
      bothGone: 'Beide Datensätze existieren nicht mehr; die Verknüpfung wird entfernt.',
    },
    remove: {
      archived: 'Archiviert, weil der verknüpfte Datensatz nicht mehr existiert.',
      deleted: 'Gelöscht, weil der verknüpfte Datensatz nicht mehr existiert.',
      reversedImmutable: 'Die Buchung ist festgeschrieben und kann nicht gelöscht werden; stattdessen wurde eine Storno-Buchung (#{stornoId}) gebucht.',
      reversedClosed: 'Das Buchungsjahr ist abgeschlossen; statt zu löschen wurde eine Storno-Buchung (#{stornoId}) gebucht.',
      willReverseImmutable: 'Die Buchung ist festgeschrieben: Beim Ausführen wird statt des Löschens eine Storno-Buchung gebucht.',
      refused: 'Löschen würde abgelehnt: {detail}',
    },
    preflight: {
      donor0: '{count} Buchungen auf „Spender 0“ mit zusammen {sum} €: Sie werden ohne Spender übernommen. Besser in Optigem einem anonymen Spender zuordnen.',
    },
    restore: {
      linked: 'Verknüpfung aus der gespeicherten Optigem-Nummer wiederhergestellt.',
      mismatch: 'Die gespeicherte Optigem-Nummer gehört zu einer anderen Person; nicht verknüpft.',
    },
    skip: {
      incompleteRead: '„{action}“ übersprungen: Die Daten aus {systems} wurden nicht vollständig gelesen ({detail}). Bitte die Ursache beheben und erneut ausführen.',
    },
    unmappedSkipped: 'Wert „{value}“ von {field} ist nicht zugeordnet und wurde übersprungen.',
    ambiguousSkipped: 'Wert von {field} ist mehrdeutig ({value}) und wurde übersprungen.',
  },
  blocker: {
    unmappedValue: 'Der Wert „{value}“ von {field} ist im Eigenschaften-Paar nicht zugeordnet (Ersatz: Auftrag blockieren). Bitte die Zuordnung ergänzen.',
    ambiguousValue: 'Der Wert von {field} ist mehrdeutig ({value}) (Ersatz: Auftrag blockieren). Bitte die Zuordnung eindeutig machen.',
    preflight: {
      notWritable: 'Im System {system} ist das Buchungsjahr {fiscalYear} nicht beschreibbar (abgeschlossen). Der Auftrag würde dort schreiben.',
      unknownReference: 'Im System {system} gibt es für {field} keine Nummer {value} im Buchungsjahr {fiscalYear} ({count} Buchungen, z. B. {example}). Bitte dort anlegen.',
      donorNotLinked: 'Spender {donor} der Buchung {booking} ({system}) ist mit keiner Person verknüpft. Bitte zuerst die Personen abgleichen oder von Hand verknüpfen.',
      moreDonorsNotLinked: '… und {count} weitere Buchungen aus {system} mit nicht verknüpftem Spender.',
      noReferences: 'Die Stammdaten (Konten, Kostenstellen) konnten nicht gelesen werden.',
    },
  },
  validation: {
    nameMissing: 'Der Auftrag braucht einen Namen.',
    noAction: 'Bitte mindestens eine Aktion wählen.',
    exclusiveActions: 'Diese Aktionen schließen einander aus: {actions}.',
    actionNotForTransactions: 'Die Aktion {action} gibt es für Buchungen nicht.',
    linkMode: 'Bitte wählen, wie beim Verknüpfen angeglichen wird.',
    unknownPropertyPair: 'Das Eigenschaften-Paar {key} gibt es nicht (mehr).',
    propertyPairDomain: 'Das Eigenschaften-Paar {key} gehört zu einem anderen Bereich.',
    propertyPairKey: 'Der Schlüssel {key} eines Eigenschaften-Paars ist ungültig.',
    noPropertyPairs: 'Bitte mindestens ein Eigenschaften-Paar wählen.',
    conditionField: 'Bitte für jede Bedingung ein Feld wählen.',
    conditionValues: 'Bitte für jede Bedingung mindestens einen Wert wählen.',
    conditionRangeEmpty: 'Bitte für den Zeitraum ein Von- oder Bis-Datum angeben.',
    conditionRangeOrder: 'Der Zeitraum beginnt ({from}) nach seinem Ende ({to}).',
    fiscalYearMissing: 'Bitte das Buchungsjahr angeben (z. B. 2026).',
  },
  preflight: {
    ct: {
      noPeriod: 'In ChurchTools gibt es kein Buchungsjahr für {fiscalYear}. Bitte in ChurchTools Finanzen anlegen (mit Konten und Kostenstellen).',
      periodClosed: 'Das ChurchTools-Buchungsjahr {fiscalYear} ({period}) ist abgeschlossen.',
      periodAmbiguous: 'In ChurchTools beginnen mehrere Buchungsjahre in {fiscalYear} (Mandanten {clients}). Bitte im Auftrag den Mandanten wählen.',
    },
    og: {
      noFiscalYear: 'In Optigem gibt es kein Wirtschaftsjahr {fiscalYear}.',
    },
  },
  refusal: {
    massChange: 'Angehalten: {count} von {pairs} Paaren würden archiviert oder gelöscht (mehr als {percent} %). Bitte bestätigen, wenn das gewollt ist.',
    planChanged: 'Die Daten haben sich seit der Simulation geändert. Bitte erneut simulieren.',
    readFailed: 'Die Daten konnten nicht gelesen werden: {detail}',
  },
  nightly: {
    beyondSimulation:
      'Nachts nicht ausgeführt: mehr als die letzte Simulation zeigte (anlegen {createPlanned}, simuliert {createSimulated}; archivieren {archivePlanned}, simuliert {archiveSimulated}; löschen {deletePlanned}, simuliert {deleteSimulated}). Bitte erneut simulieren und ausführen, oder diese Änderungen beim Auftrag für die automatische Ausführung erlauben.',
  },
  error: {
    unexpected: 'Unerwarteter Fehler: {detail}',
    generic: 'Fehler: {detail}',
  },
};

export const engineEn: typeof engineDe = {
  action: {
    link: 'Link people & unify properties',
    import: 'Import people',
    export: 'Export people',
    updateProperties: 'Update properties',
    importProperties: 'Import properties',
    exportProperties: 'Export properties',
    archiveInChurchTools: 'Archive people in your own system',
    deleteInChurchTools: 'Delete people in your own system',
    archiveInOptigem: 'Archive people in the connected system',
    deleteInOptigem: 'Delete people in the connected system',
    restore: 'Restore link',
    pairs: 'Maintain pairs',
    preflight: 'Pre-flight check',
  },
  log: {
    create: {
      created: 'Created and linked.',
      exists: 'Not created: a matching person exists already ({matches}). Choose "link & unify" or link by hand.',
      bookingExists: 'Not created: an identical booking exists already ({matches}). Choose "link transactions & unify" to link it.',
    },
    link: {
      linked: 'Linked.',
      linkedKeptDifferences: 'Linked; differing values were left on both sides ("fill empty fields only").',
      unified: 'Unified while linking: {fields}.',
      duplicate: 'Not linked: several equally good candidates ({candidates}). Link by hand or clean up the duplicate.',
      bookingDuplicate: 'Not linked: several identical bookings ({candidates}). Link by hand or make one distinguishable (e.g. document number).',
    },
    update: {
      newer: 'Updated ({fields}) with the newer values.',
      imported: 'Taken from Optigem: {fields}.',
      exported: 'Written to Optigem: {fields}.',
      locked: 'Not changed ({fields}): the booking is immutable. Correct it with a reversal (storno).',
    },
    conflict: {
      bothChanged: 'Conflict: {fields} changed on both sides since the last sync. Nothing overwritten; please correct one side.',
      undecidable: 'Conflict: cannot tell which value of {fields} is newer. Nothing overwritten.',
    },
    pair: {
      synced: 'Pair is in sync again.',
      conflict: 'Pair has a conflict.',
      partnerGone: 'The linked record no longer exists in {system}.',
      bothGone: 'Both records no longer exist; the link is removed.',
    },
    remove: {
      archived: 'Archived because the linked record no longer exists.',
      deleted: 'Deleted because the linked record no longer exists.',
      reversedImmutable: 'The booking is immutable and cannot be deleted; a reversal (storno #{stornoId}) was booked instead.',
      reversedClosed: 'The accounting period is closed; a reversal (storno #{stornoId}) was booked instead of deleting.',
      willReverseImmutable: 'The booking is immutable: the run will book a reversal (storno) instead of deleting it.',
      refused: 'Deleting would be refused: {detail}',
    },
    preflight: {
      donor0: '{count} bookings on "Donor 0" totalling {sum} €: they are taken over without a donor. Better assign them to an anonymous donor in Optigem.',
    },
    restore: {
      linked: 'Link restored from the stored Optigem number.',
      mismatch: 'The stored Optigem number belongs to a different person; not linked.',
    },
    skip: {
      incompleteRead: '"{action}" skipped: the data from {systems} was not read completely ({detail}). Please fix the cause and run again.',
    },
    unmappedSkipped: 'Value "{value}" of {field} is not mapped and was skipped.',
    ambiguousSkipped: 'Value of {field} is ambiguous ({value}) and was skipped.',
  },
  blocker: {
    unmappedValue: 'The value "{value}" of {field} is not mapped in its property pair (fallback: block job). Please complete the mapping.',
    ambiguousValue: 'The value of {field} is ambiguous ({value}) (fallback: block job). Please make the mapping unambiguous.',
    preflight: {
      notWritable: 'The fiscal year {fiscalYear} cannot be written in {system} (closed), and the job would write there.',
      unknownReference: '{system} has no {field} number {value} in fiscal year {fiscalYear} ({count} bookings, e.g. {example}). Please create it there.',
      donorNotLinked: 'Donor {donor} of booking {booking} ({system}) is not linked to a person. Sync or link the people first.',
      moreDonorsNotLinked: '… and {count} more bookings from {system} with an unlinked donor.',
      noReferences: 'The master data (accounts, cost centres) could not be read.',
    },
  },
  validation: {
    nameMissing: 'The job needs a name.',
    noAction: 'Please choose at least one action.',
    exclusiveActions: 'These actions exclude each other: {actions}.',
    actionNotForTransactions: 'The action {action} does not exist for bookings.',
    linkMode: 'Please choose how linking unifies properties.',
    unknownPropertyPair: 'The property pair {key} does not exist (any more).',
    propertyPairDomain: 'The property pair {key} belongs to another domain.',
    propertyPairKey: 'The key {key} of a property pair is invalid.',
    noPropertyPairs: 'Please choose at least one property pair.',
    conditionField: 'Please choose a field for every condition.',
    conditionValues: 'Please choose at least one value for every condition.',
    conditionRangeEmpty: 'Please give a from or to date for the date range.',
    conditionRangeOrder: 'The date range starts ({from}) after it ends ({to}).',
    fiscalYearMissing: 'Please give the fiscal year (e.g. 2026).',
  },
  preflight: {
    ct: {
      noPeriod: 'ChurchTools has no accounting period for {fiscalYear}. Please create it in ChurchTools Finance (with accounts and cost centres).',
      periodClosed: 'The ChurchTools accounting period {fiscalYear} ({period}) is closed.',
      periodAmbiguous: 'Several ChurchTools accounting periods start in {fiscalYear} (clients {clients}). Please choose the client in the job.',
    },
    og: {
      noFiscalYear: 'Optigem has no fiscal year {fiscalYear}.',
    },
  },
  refusal: {
    massChange: 'Stopped: {count} of {pairs} pairs would be archived or deleted (more than {percent} %). Please confirm if that is intended.',
    planChanged: 'The data changed since the simulation. Please simulate again.',
    readFailed: 'The data could not be read: {detail}',
  },
  nightly: {
    beyondSimulation:
      'Not run at night: more than the last simulation showed (create {createPlanned}, simulated {createSimulated}; archive {archivePlanned}, simulated {archiveSimulated}; delete {deletePlanned}, simulated {deleteSimulated}). Please simulate and run again, or allow these changes for automatic execution in the job.',
  },
  error: {
    unexpected: 'Unexpected error: {detail}',
    generic: 'Error: {detail}',
  },
};
