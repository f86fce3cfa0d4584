import { describeCommonRole } from './helpers';

describeCommonRole('commune', 'compte de commune', { operations: true, foncier: true, attributions: true });
