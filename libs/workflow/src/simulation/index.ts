export * from './simulate';
export * from './report';
export { parseScripted } from './script';
