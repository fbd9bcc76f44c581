export * from './xof';
