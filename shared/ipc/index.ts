export * from './contract';
export * from './csp';
export * from './envelope';
export * from './host-channels';
export * from './host-contract';
export * from './schemas';
export * from './wire';
