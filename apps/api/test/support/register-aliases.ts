// Jest's global setup runs outside its module mapping, so the @app/* aliases of tsconfig.json are
// registered here for the code it loads (the migrator and the built-in catalogue loader).
import { loadConfig, register } from 'tsconfig-paths';

const config = loadConfig();
if (config.resultType === 'success') {
  register({ baseUrl: config.absoluteBaseUrl, paths: config.paths });
}
