import { toStratumCounts, typedStrataProblems } from './two-by-two.rules';

const gao = { name: 'Gao', recipients: { passed: 40, total: 60 }, nonRecipients: { passed: 15, total: 50 } };

describe('typed-in counts', () => {
  it('accepts possible counts and maps total to n', () => {
    expect(typedStrataProblems([gao])).toEqual([]);
    expect(toStratumCounts([{ ...gao, name: ' Gao ' }])).toEqual([
      { label: 'Gao', recipients: { n: 60, passed: 40 }, nonRecipients: { n: 50, passed: 15 } },
    ]);
  });

  it('names every group with more passes than results, as the request spells it', () => {
    expect(
      typedStrataProblems([
        gao,
        { name: 'Kidal', recipients: { passed: 7, total: 6 }, nonRecipients: { passed: 3, total: 2 } },
      ]),
    ).toEqual([
      {
        field: 'strata[1].recipients.passed',
        problem: 'must not exceed strata[1].recipients.total (7 passed of 6)',
      },
      {
        field: 'strata[1].nonRecipients.passed',
        problem: 'must not exceed strata[1].nonRecipients.total (3 passed of 2)',
      },
    ]);
  });

  it('refuses a stratum named twice', () => {
    expect(typedStrataProblems([gao, { ...gao, name: 'Gao ' }])).toEqual([
      {
        field: 'strata[1].name',
        problem: 'repeats the name of strata[0] ("Gao"); each stratum must be given once',
      },
    ]);
  });
});
