import { StartError } from '../../errors';
import { GEN_SERVER_MARK, type GenServerDefinition } from '../../protocol/gen-server-definition';
import { loadModule, type ModuleExports } from '../module-loader';

/**
 * Loads a GenServer module and finds its definition: `module.exports = definition`,
 * `export default` compiled to CommonJS, or an ES module's default. Rejects with the
 * `StartError` that says what is wrong.
 */
export async function loadDefinition(modulePath: string): Promise<GenServerDefinition> {
  let loaded: ModuleExports;
  try {
    loaded = await loadModule(modulePath);
  } catch (error) {
    throw StartError.moduleLoad(modulePath, error);
  }
  const candidates = [loaded, loaded.default, (loaded.default as ModuleExports | undefined)?.default];
  const definition = candidates.find((candidate) => (candidate as Record<string, unknown> | undefined)?.[GEN_SERVER_MARK] === true);
  if (definition === undefined) throw StartError.notAGenServer(modulePath, Object.keys(loaded));
  return definition as GenServerDefinition;
}
