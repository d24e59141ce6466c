/**
 * Couple records as the bridge flags them: the shared detection (src/sync/couples.ts) with the
 * rules from the bridge's configuration. The bridge only flags them and suggests how the first
 * names split; it never changes the record.
 */
export { DEFAULT_COUPLE_RULES, coupleDetector, type CoupleDetector, type CoupleRules } from '../../sync/couples.ts';
