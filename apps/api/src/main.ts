import 'reflect-metadata';
import { main } from './server';

void main();
