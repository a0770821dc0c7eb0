/** The entry file of every GenServer's thread. */
import { runGenServerHost } from './thread-runtime';

runGenServerHost();
