export * from './mali-phone';
