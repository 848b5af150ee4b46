/**
 * Lets a child process spawned by a test run the TypeScript sources directly (`node -r
 * ./test/events/helpers/register.js ...`), so child processes exercise exactly the code under
 * test without a prior `npm run build`. Transpile only: type checking is `npm run typecheck`.
 */
const fs = require('node:fs');
const ts = require('typescript');

const options = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  resolveJsonModule: true,
  sourceMap: false,
};

require.extensions['.ts'] = function compileTs(module, filename) {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { compilerOptions: options, fileName: filename });
  module._compile(outputText, filename);
};
