/**
 * Who answers for each role of the demo clinic's workflows: one source for both the demo project
 * file (`tools/generateProject.ts`) and the app's "Open the demo", so the two judge discovery the
 * same. Reference lab and Billing have no owner: nobody asked them, a planted discovery risk.
 * Plain data with a type-only import, so the browser bundle can carry it.
 */
import type { RoleOwners } from '../src/formats/roleOwners.ts';

export const DEMO_ROLE_OWNERS: RoleOwners = {
  roles: [
    { role: 'Physician', owner: 'Dr Ines Moreau', stakeholders: ['Dr Sam Okafor'] },
    { role: 'Medical assistant', owner: 'Rosa Diaz', stakeholders: ['Jin Park', 'Amal Haddad'] },
    { role: 'Front desk', owner: 'Ana Ruiz', stakeholders: ['Tom Hale'] },
    { role: 'Nurse', owner: 'Grace Lin' },
    { role: 'Patient (self-service)', owner: 'Dana Whitfield', stakeholders: ['Patient advisory group'] },
    { role: 'Practice manager', owner: 'Dana Whitfield' },
  ],
};
