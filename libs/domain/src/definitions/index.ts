export * from './lifecycle-registration';
