import 'reflect-metadata';
import { main } from '../../api/src/server';

// The worker is the same binary in worker mode: same modules, no HTTP listener.
process.env.PROCESS_ROLE = 'worker';
void main();
