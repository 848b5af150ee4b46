// Child-process entry for tests: `ras contract ...` running the TypeScript sources.
require('./register');
require('../../../cli/contract')
  .runContractCommand(process.argv.slice(2))
  .then((code) => process.exit(code));
