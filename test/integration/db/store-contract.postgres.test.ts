import { postgresWorld } from '../../support/store-contract/postgres-world';
import { storeContract } from '../../support/store-contract/store-contract';

storeContract(postgresWorld);
