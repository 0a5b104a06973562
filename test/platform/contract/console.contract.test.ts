import { adapterContract } from './adapter-contract';
import { consoleDriver } from './console-driver';

adapterContract(consoleDriver);
