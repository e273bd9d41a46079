// `npm start`: will build the demo extension, start the demo portal and open Chromium.
// Until the extension work (issue 4) lands, say so plainly instead of pretending.
console.log('npm start: the extension and demo portal are coming in the extension issue (#4).');
console.log('For now: `npm test` runs every test; `npm run verify -- <file>` checks AL1 text files.');
