/**
 * A legal analysis's five sections, of the length and markdown members write: the seed of the
 * long analysis the heavy-requests bench edits (the dataset's own text comes from corpus.ts).
 */
export const SECTIONS = {
  questionPresented:
    'Whether a person who operates a website offering falsified medicines, but never takes physical possession of them, *offers to supply* counterfeits within the meaning of the Medicrime Convention, art. 6.',
  relevantFacts:
    '- The defendant ran a website offering tablets without the common logo required for lawful online sale.\n- Orders and payments went through the site; a forwarder abroad shipped sealed parcels straight to buyers.\n- Test purchases returned tablets with no active ingredient.',
  applicableLaw:
    '- **Medicrime Convention, art. 6**: supplying or offering to supply, including brokering.\n- **Art. 11**: corporate liability.\n- **Directive 2001/83/EC, art. 85c**: distance selling and the common logo.',
  analysis:
    'Possession is not an element of art. 6. The offer is complete when made with the required intent, and *brokering* reaches a person who arranges a transaction without holding the goods. The absence of the common logo and prices far below the licensed market are facts from which intent may be inferred.',
  conclusion:
    'An online seller who offers falsified medicines and arranges their shipment by a third party *offers to supply* them within art. 6, whether or not he ever holds them.',
};
