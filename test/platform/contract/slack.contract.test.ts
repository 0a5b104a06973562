import { adapterContract } from './adapter-contract';
import { slackDriver } from './slack-driver';

adapterContract(slackDriver);
