import { adapterContract } from './adapter-contract';
import { discordDriver } from './discord-driver';

adapterContract(discordDriver);
