import { describeCommonRole } from './helpers';

describeCommonRole('epf', 'établissement public foncier', { foncier: true });
