import { describeCommonRole } from './helpers';

describeCommonRole('financeur', 'financeur', { mesAides: true });
