console.log('npm start will build the extension and start the ChurchTools stand-in and the Optigem bridge with demo data.');
