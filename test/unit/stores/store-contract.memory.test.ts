import { memoryWorld } from '../../support/store-contract/memory-world';
import { storeContract } from '../../support/store-contract/store-contract';

storeContract(memoryWorld);
