// Child-process entry for tests: `ras device ...` running the TypeScript sources.
require('../../events/helpers/register');
require('../../../cli/device')
  .runDeviceCommand(process.argv.slice(2))
  .then((code) => process.exit(code));
