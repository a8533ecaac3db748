export * from './data-holder';
export { DataHolderModule, type DataHolderModuleOptions } from './nest/data-holder.module';
