export * from './types';
export * from './default-model';
export * from './freeze';
export * from './validate';
export * from './coverage';
export * from './diff';
