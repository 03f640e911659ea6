export * from './contract';
export * from './envelope';
export * from './schemas';
export * from './wire';
