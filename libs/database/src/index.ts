export * from './data-source';
export * from './snake-naming.strategy';
export * from './bigint.transformer';
