export * from './data-holder';
