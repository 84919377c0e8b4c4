import 'reflect-metadata';
import { runServiceProcess } from '@app/common';
import { startWorker } from './worker';

void runServiceProcess(startWorker);
