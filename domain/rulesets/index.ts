export * from './catalogue.ts';
export * from './conversion.ts';
export * from './types.ts';
