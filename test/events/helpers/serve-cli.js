// Child-process entry for tests: `ras serve ...` running the TypeScript sources.
require('./register');
require('../../../cli/serve')
  .runServe(process.argv.slice(2))
  .then((code) => process.exit(code));
