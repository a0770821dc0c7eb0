/** The entry file of every TaskSupervisor's threads: Piscina calls its default export. */
import { createTaskHandler } from './thread-runtime';

export default createTaskHandler();
