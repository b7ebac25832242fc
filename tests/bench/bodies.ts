/**
 * Post sources for the bench dataset, of the length and markdown members write: cooked once by the
 * generator and reused, so the pages the bench reads carry realistic HTML.
 */
export const OPENING_BODIES: readonly string[] = [
  'We are preparing a prosecution of a network that sold **falsified antibiotics** to private clinics. The packs imitate a licensed product, including the batch-number format, but the assay found less than half the declared active ingredient.\n\nTwo questions for colleagues:\n\n1. Have your courts required the analyst to give evidence in person, or is the laboratory report admitted on its own?\n2. Where samples were drawn from some cartons only, how was the inference to the whole consignment justified?\n\nAny experience, including unreported first-instance decisions, would help.',
  'A note on a recurring difficulty in **illicit tobacco** cases: the cigarettes are genuine products of a licensed factory, declared for export and never exported. The excise account shows duty paid on what was declared; the undeclared volume appears only in raw-material purchases and electricity consumption.\n\nHas an *input-output* reconstruction been accepted as proof elsewhere, and who presented it: a forensic accountant or a revenue official?',
  "Customs detained a container of counterfeit automotive parts transhipped through a free zone. The goods never entered the customs territory. The question is whether relabelling in the zone is *use of the mark in the course of trade* on national territory, so that the trademark offence is committed here. See also [the programme's note on transit](https://example.org/transit-note).",
];

export const REPLY_BODIES: readonly string[] = [
  'Our courts accept a random sample when the examiner explains how the cartons were chosen and the packing was uniform. The weaker cases were those where the sample came from the cartons nearest the door.',
  'Agreed. In our practice the **chain of custody** is where these files are fought: a sealed-bag register, with the seal numbers photographed at each transfer, has made most challenges fall away.',
  "A useful comparison. We reached the same result by a different route: the website operator was treated as a co-perpetrator, because he controlled whether each sale happened.\n\n> The offer offence stands on the defendant's own conduct.\n\nThat is the better course where mutual legal assistance is unlikely to bear fruit.",
  'From the customs side: parcels in such cases are usually declared as *gifts* or *samples* under the low-value threshold. Tracking data from the postal operator is often the only evidence that deliveries reached buyers, and retention periods are short, so request it early.',
  'Two cautions:\n\n- check the domestic text that transposed the participation offence; some States set their own threshold;\n- do not strain the facts: if the laundering was incidental, the charge will fail and may weaken the rest of the case.',
  'Thank you. The municipality reads the meters, so that evidence should be available to us as well. I will report how the court deals with it.',
  "Is the wastage rate taken from the factory's own production reports or from an industry standard? The accused can hardly dispute the former; the latter has been attacked successfully here.",
  'For comparison, art. 8 of the Protocol requires a tracking and tracing system for cigarettes within five years of its entry into force for a Party. Where one exists, the unique identifiers show that a pack found on the market was never declared.',
];

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
