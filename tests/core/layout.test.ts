import { describe, expect, it } from 'vitest';
import { fieldForHeader, layoutName, looksLikeHeader, mapHeaders, mapWithMappingFile, MappingFile } from '../../src/core/import/layout.js';
import { parseLead } from '../../src/core/import/lead.js';

describe('header recognition', () => {
  it('maps York, IRO and Herefordshire headings to the same ideas', () => {
    const york = mapHeaders(['Ref', 'Activity', 'Where Are We Now?', 'Evidence', 'Lead Agency and Lead Officer', 'By When', 'BRAG']);
    expect(york.fields).toEqual({ ref: 0, activity: 1, progress: 2, evidence: 3, lead: 4, due: 5, brag: 6 });
    expect(layoutName(york)).toBe('york-delivery-plan');

    const iro = mapHeaders(['', 'Area for development', 'Current situation / progress made', 'Specific actions to drive change', 'Current Performance', 'Target Data & Date', 'Status']);
    expect(iro.fields).toEqual({ ref: 0, activity: 1, progress: 2, evidence: 4, due: 5, brag: 6 });
    expect(layoutName(iro)).toBe('iro-service-plan');

    const hereford = mapHeaders(['Priority', 'What will we do?', 'How will we do it?', 'Who will do it?', 'How will we measure success? What difference will have been made?']);
    expect(hereford.fields).toEqual({ objective: 0, activity: 1, lead: 3, evidence: 4 });
    expect(layoutName(hereford)).toBe('herefordshire-action-plan');
  });

  it('ignores case, punctuation and ampersands', () => {
    expect(fieldForHeader('  RAG  Status ')).toBe('brag');
    expect(fieldForHeader('Target Data & Date')).toBe('due');
    expect(fieldForHeader('Lead officer:')).toBe('lead');
    expect(fieldForHeader('Colour of the sky')).toBeUndefined();
  });

  it('does not take a title row for a header', () => {
    expect(looksLikeHeader(mapHeaders(['Corporate Parenting Strategy Delivery Plan', '', '']))).toBe(false);
  });

  it('maps a custom layout with a mapping file, and names missing columns', () => {
    const mapping = MappingFile.parse({ columns: { ref: 'No.', activity: 'Task', brag: 'RAG' } });
    expect(mapWithMappingFile(['No.', 'Task', 'RAG'], mapping)).toEqual({ fields: { ref: 0, activity: 1, brag: 2 }, headers: ['No.', 'Task', 'RAG'] });
    expect(mapWithMappingFile(['No.', 'Job'], mapping)).toEqual({ missing: ['Task', 'RAG'] });
    expect(MappingFile.safeParse({ columns: { ref: 'No.' } }).success).toBe(false); // activity is required
  });
});

describe('parseLead: officers named inside the agency cell', () => {
  it.each([
    ["Children's Social Care (Rose Howley)", "Children's Social Care", 'Rose Howley', true],
    ["Children's Social Care, Dave Purcell", "Children's Social Care", 'Dave Purcell', true],
    ["Children's Social Care and Health and CAMHS", "Children's Social Care and Health and CAMHS", '', false],
    ['Quality Assurance, Review and Safeguarding Service', 'Quality Assurance, Review and Safeguarding Service', '', false],
    ['Head of Safeguarding and Quality Assurance', 'Head of Safeguarding and Quality Assurance', '', false],
    ["Children's Social Care and Education.", "Children's Social Care and Education", '', false],
    ['Pathway Team (VSH)', 'Pathway Team (VSH)', '', false],
  ])('%j', (raw, agency, officer, guessed) => {
    const lead = parseLead(raw);
    expect({ agency: lead.agency, officer: lead.officer, guessed: lead.guess !== undefined }).toEqual({ agency, officer, guessed });
  });
});
