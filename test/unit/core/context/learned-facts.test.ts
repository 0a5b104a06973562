import { vetLearnedFacts } from '../../../../src/core/context/learned-facts';

const limits = { minConfidence: 0.6, maxValueChars: 20 };
const fact = (key: string, value: string, confidence = 0.9) => ({ contextType: 'technology' as const, key, value, confidence });

describe('vetting learned facts', () => {
  it('normalises keys so one fact does not fork, the later proposal deciding', () => {
    const { kept } = vetLearnedFacts({ facts: [fact('Uses Kubernetes', 'yes'), fact('uses_kubernetes', 'EKS')] }, limits);
    expect(kept).toEqual([{ type: 'technology', key: 'uses_kubernetes', value: 'EKS' }]);
  });

  it('drops a key entirely when its later proposal is refused', () => {
    const { kept, rejected } = vetLearnedFacts({ facts: [fact('ci', 'GitHub Actions'), fact('ci', 'password=hunter2')] }, limits);
    expect(kept).toEqual([]);
    expect(rejected).toEqual([{ key: 'ci', reason: 'secret', secretKind: 'password' }]);
  });

  it('refuses empty keys and values and low confidence, saying why but not what', () => {
    const { kept, rejected } = vetLearnedFacts({ facts: [fact('!!!', 'x'), fact('k', '  '), fact('maybe', 'perhaps Go', 0.59)] }, limits);
    expect(kept).toEqual([]);
    expect(rejected).toEqual([
      { key: '', reason: 'empty' },
      { key: 'k', reason: 'empty' },
      { key: 'maybe', reason: 'low_confidence' },
    ]);
  });

  it('cuts long values at a word boundary, or mid-word when there is none', () => {
    const { kept } = vetLearnedFacts({ facts: [fact('a', 'Terraform with Atlantis and Spacelift'), fact('b', 'Supercalifragilisticexpialidocious')] }, limits);
    expect(kept.map((f) => f.value)).toEqual(['Terraform with…', 'Supercalifragilisti…']);
    expect(kept.every((f) => f.value.length <= 20)).toBe(true);
  });
});
