/**
 * Demo threads: what the forum looks like after a few weeks of use. Fictional matters written the
 * way judges and prosecutors write to each other; no real proceedings or people. Every counter and
 * every denormalized column is computed here from the posts, exactly as the server keeps them.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import {
  acceptedAnswers,
  follows,
  notifications,
  postRevisions,
  posts,
  reports,
  reviewItems,
  threadInstruments,
  threadJurisdictions,
  threadReads,
  threads,
  threadTopics,
  type threadKindValues,
} from '../schema.js';

/**
 * The cooking pipeline (markdown → sanitized HTML) lives in the server; the caller passes it in,
 * so that db depends on nothing of ours.
 */
export interface DemoCook {
  markdown(source: string): string;
  sections(sections: Record<string, string>): { cooked: string };
  /** Plain text of some markdown, for notification bodies. */
  excerpt(source: string): string;
}

/** The five sections of a legal analysis, as `shared` names them. */
export interface DemoSections {
  questionPresented: string;
  relevantFacts: string;
  applicableLaw: string;
  analysis: string;
  conclusion: string;
}

/** A demo person, by the part of their email before `@lexforum.test`. */
type Who =
  'admin' | 'daniel' | 'sofia' | 'adebayo' | 'camille' | 'lan' | 'rafael' | 'aisha' | 'johan' | 'priya' | 'thabo';

interface DemoEdit {
  /** Hours after the post was written. */
  after: number;
  reason: string;
  body?: string;
  sections?: DemoSections;
}

interface DemoReply {
  /** A name other replies use to answer this one. */
  key?: string;
  by: Who;
  /** The key of the post answered; the opening post if absent. */
  to?: string;
  /** Hours after the thread was opened; replies are listed in this order. */
  at: number;
  body: string;
  edits?: DemoEdit[];
  /** A reply to a comparative question: the jurisdiction it answers for, and what it relies on. */
  answer?: { jurisdiction: string; provisions: string[]; lawAsOf: string | null; shortAnswer: string | null };
  /** Marked by the question's author as the accepted answer for its jurisdiction. */
  accepted?: true;
}

export interface DemoThread {
  kind: (typeof threadKindValues)[number];
  title: string;
  by: Who;
  /** Days before the seed's "now" that the thread was opened. */
  daysAgo: number;
  jurisdictions: string[];
  topics: string[];
  /** [instrument slug, provision or null]. */
  citations: [string, string | null][];
  body?: string;
  sections?: DemoSections;
  lawAsOf?: string;
  /** A question asked of each of its jurisdictions (answered per jurisdiction). */
  comparative?: true;
  edits?: DemoEdit[];
  replies: DemoReply[];
  /** Demo people who opened the thread without replying, and how far they read. */
  readers?: Partial<Record<Who, number | 'all'>>;
}

export const DEMO_THREADS: readonly DemoThread[] = [
  {
    kind: 'legal_analysis',
    title: 'Does the offence of supplying counterfeits reach an online seller who never holds the medicine?',
    by: 'camille',
    daysAgo: 34,
    jurisdictions: ['FR', 'EU', 'COE'],
    topics: ['medical-products', 'e-commerce'],
    citations: [
      ['medicrime', 'art. 5'],
      ['medicrime', 'art. 6'],
      ['medicrime', 'art. 11'],
      ['eu-dir-2011-62', 'art. 85c'],
    ],
    lawAsOf: '2026-10-01',
    sections: {
      questionPresented:
        'Whether a person who operates a website offering falsified medicines, but who never takes physical possession of them (the goods ship directly from a third country to the buyer), *supplies* or *offers to supply* counterfeits within the meaning of art. 6 of the Medicrime Convention as transposed into French law.',
      relevantFacts:
        'A composite of matters before the pôle santé publique, anonymised:\n\n- The defendant registered and ran a French-language website offering erectile-dysfunction tablets and a weight-loss product, without the common logo required for lawful online sale.\n- Orders and payments went through the site; fulfilment was by a forwarder abroad, which shipped sealed parcels straight to buyers.\n- Test purchases returned tablets with no active ingredient, and in one batch an undeclared stimulant.\n- The defendant argued that he was a mere "technical intermediary" and never possessed, handled or knew the content of the parcels.',
      applicableLaw:
        "- **Medicrime Convention, art. 5**: manufacturing of counterfeits.\n- **Art. 6**: the intentional supplying or offering to supply, including brokering, trafficking, keeping in stock, importing and exporting of counterfeit medical products.\n- **Art. 11**: liability of legal persons for offences committed for their benefit.\n- **Directive 2001/83/EC, art. 85c** (inserted by the Falsified Medicines Directive): conditions for offering medicinal products for sale at a distance, including the common logo.\n- The domestic provisions transposing these, which follow the Convention's wording closely.",
      analysis:
        "The text of art. 6 does not make possession an element. *Offering to supply* is complete when the offer is made with the required intent, and the text expressly includes *brokering*, which by its nature reaches a person who arranges a transaction without holding the goods.\n\nThe intermediary argument confuses two roles. A hosting provider who stores third-party content may rely on the liability exemptions of EU law until it has knowledge. The defendant here was not hosting anyone else's offer: the offer was his, in his name, with his prices, and the payments reached his account. He chose the products and the forwarder.\n\nIntent is the real question. The absence of the common logo, prices far below the licensed market and the promise of delivery without prescription are facts from which a court may infer that he knew, or accepted, that the products were not genuine. The laboratory results are not needed for the offer offence but matter for sentencing and for art. 8 (similar crimes) where the product was merely unauthorised.",
      conclusion:
        "An online seller who offers falsified medicines, takes the orders and the money, and arranges shipment by a third party *offers to supply* and *brokers* them within art. 6, whether or not he ever holds them. The defence of technical intermediary is open only to someone whose role is genuinely limited to carrying or storing another person's offer.",
    },
    edits: [
      {
        after: 20,
        reason: 'Added the point on art. 8 and narrowed the conclusion to the offer offence',
        sections: {
          questionPresented:
            'Whether a person who operates a website offering falsified medicines, but who never takes physical possession of them (the goods ship directly from a third country to the buyer), *supplies* or *offers to supply* counterfeits within the meaning of art. 6 of the Medicrime Convention as transposed into French law.',
          relevantFacts:
            'A composite of matters before the pôle santé publique, anonymised:\n\n- The defendant registered and ran a French-language website offering erectile-dysfunction tablets and a weight-loss product, without the common logo required for lawful online sale.\n- Orders and payments went through the site; fulfilment was by a forwarder abroad, which shipped sealed parcels straight to buyers.\n- Test purchases returned tablets with no active ingredient, and in one batch an undeclared stimulant.\n- The defendant argued that he was a mere "technical intermediary" and never possessed, handled or knew the content of the parcels.',
          applicableLaw:
            "- **Medicrime Convention, art. 5**: manufacturing of counterfeits.\n- **Art. 6**: the intentional supplying or offering to supply, including brokering, trafficking, keeping in stock, importing and exporting of counterfeit medical products.\n- **Art. 11**: liability of legal persons for offences committed for their benefit.\n- **Directive 2001/83/EC, art. 85c** (inserted by the Falsified Medicines Directive): conditions for offering medicinal products for sale at a distance, including the common logo.\n- The domestic provisions transposing these, which follow the Convention's wording closely.",
          analysis:
            "The text of art. 6 does not make possession an element. *Offering to supply* is complete when the offer is made with the required intent, and the text expressly includes *brokering*, which by its nature reaches a person who arranges a transaction without holding the goods.\n\nThe intermediary argument confuses two roles. A hosting provider who stores third-party content may rely on the liability exemptions of EU law until it has knowledge. The defendant here was not hosting anyone else's offer: the offer was his, in his name, with his prices, and the payments reached his account. He chose the products and the forwarder.\n\nIntent is the real question. The absence of the common logo, prices far below the licensed market and the promise of delivery without prescription are facts from which a court may infer that he knew, or accepted, that the products were not genuine. The laboratory results are not needed for the offer offence but matter for sentencing.\n\nWhere the product is not shown to be *counterfeit* (a false representation of identity or source) but is merely unauthorised, art. 6 does not apply; art. 8 (similar crimes involving a threat to public health) may, and the charge should be framed accordingly from the start.",
          conclusion:
            "An online seller who offers falsified medicines, takes the orders and the money, and arranges shipment by a third party *offers to supply* and *brokers* them within art. 6, whether or not he ever holds them. The defence of technical intermediary is open only to someone whose role is genuinely limited to carrying or storing another person's offer. Whether the *supply* offence is also made out depends on proof that deliveries reached buyers; the offer offence does not.",
        },
      },
    ],
    replies: [
      {
        key: 'sofia1',
        by: 'sofia',
        at: 6,
        body: 'A useful analysis. Our courts reached the same result on *brokering*, but by a different route: the Sala treated the website operator as a co-perpetrator with the foreign supplier, because he controlled the decision whether each sale happened. Did the French prosecution consider joint perpetration, or did it rely on art. 6 alone?',
      },
      {
        key: 'camille1',
        by: 'camille',
        to: 'sofia1',
        at: 9,
        body: "Art. 6 alone, deliberately. Co-perpetration would have required us to prove the foreign supplier's knowledge, and we had no cooperation from that State. The offer offence stands on the defendant's own conduct.",
      },
      {
        key: 'sofia2',
        by: 'sofia',
        to: 'camille1',
        at: 11,
        body: 'That is the better course where mutual legal assistance is unlikely to bear fruit. It also keeps the trial short.',
      },
      {
        key: 'johan1',
        by: 'johan',
        to: 'camille1',
        at: 30,
        body: 'From the customs side: the parcels in such cases are usually declared as "gifts" or "samples" under the low-value threshold. If the prosecution needs to show that deliveries reached buyers, the postal operator\'s tracking data is often the only evidence. Worth requesting early; retention periods are short.',
      },
      {
        key: 'camille2',
        by: 'camille',
        to: 'johan1',
        at: 33,
        body: 'Agreed, and thank you. In our matter the tracking data was obtained by requisition within the first month; it is what made the *supply* count possible at all.',
      },
      {
        by: 'aisha',
        at: 52,
        body: 'The same question arises with us for sellers operating through messaging channels rather than websites. The offer is made in a closed group, and the defence argues that a message to a group is not an offer to the public. Art. 6 does not require a *public* offer, as far as I read it. Would you agree?',
      },
      {
        by: 'camille',
        at: 55,
        body: 'I would. The Convention speaks of *offering to supply*, without qualification. A message to a closed group of buyers is an offer to each of them.',
      },
    ],
    readers: { daniel: 'all', admin: 4, priya: 2 },
  },
  {
    kind: 'legal_analysis',
    title:
      'Counterfeit pesticide networks as "organised criminal groups" when the trademark offence carries under four years',
    by: 'adebayo',
    daysAgo: 27,
    jurisdictions: ['NG', 'ECOWAS', 'OAPI', 'INT'],
    topics: ['pesticides-agrochemicals', 'ip-trademark-counterfeiting', 'money-laundering'],
    citations: [
      ['untoc', 'art. 2'],
      ['untoc', 'art. 3'],
      ['untoc', 'art. 5'],
      ['untoc', 'art. 6'],
      ['trips', 'art. 61'],
    ],
    lawAsOf: '2026-09-15',
    sections: {
      questionPresented:
        'Can a network that imports and relabels counterfeit pesticides be charged with participation in an organised criminal group under domestic law implementing UNTOC art. 5, where the trademark offence it commits carries a maximum penalty below four years?',
      relevantFacts:
        'A hypothetical drawn from several files:\n\n- Five persons import unregistered agrochemicals in bulk, decant them into containers bearing the marks of two well-known manufacturers, and sell them through rural dealers in three States of the region.\n- Proceeds are moved through a chain of small trading companies and a bureau de change.\n- The domestic trademark offence carries a maximum of two years; the pesticide registration offence a fine only.',
      applicableLaw:
        "- **UNTOC art. 2(a) and (b)**: an *organized criminal group* acts with the aim of committing one or more *serious crimes* or offences established under the Convention; a *serious crime* is punishable by a maximum of at least four years' deprivation of liberty.\n- **Art. 3**: scope; an offence is transnational where, among other things, it is committed in one State but substantially planned or controlled in another.\n- **Art. 5**: criminalisation of participation in an organised criminal group.\n- **Art. 6**: laundering of proceeds of crime, itself an offence established under the Convention.\n- **TRIPS art. 61**: criminal procedures and penalties at least for wilful trademark counterfeiting on a commercial scale.",
      analysis:
        "Read alone, the trademark offence cannot found the charge: with a two-year maximum it is not a *serious crime*, and the group's aim of committing it does not make it an *organized criminal group* within art. 2(a).\n\nThe definition is not limited to serious crimes, however. It also covers a group aiming to commit *offences established in accordance with this Convention*. Laundering under art. 6 is such an offence, whatever the penalty attached to the predicate. Where the evidence shows that moving and disguising the proceeds was part of the common plan from the outset, and not an afterthought of one member, the group is an organised criminal group by reason of its laundering aim.\n\nTwo cautions. First, the domestic participation offence must be checked: some States transposed art. 5 with their own threshold, and the domestic text governs. Second, prosecutors should not strain the facts: if the laundering was incidental, the participation charge will fail and may weaken the rest of the case.\n\nTRIPS art. 61 is relevant as an argument for law reform rather than for charging: it requires criminal penalties for wilful counterfeiting on a commercial scale but sets no minimum term.",
      conclusion:
        "Yes, where the group's plan included laundering the proceeds. The charge then rests on the laundering aim, not on the trademark offence. Where it did not, the appropriate charges are the trademark and registration offences, with confiscation, and the penalty gap is a matter for the legislature.",
    },
    replies: [
      {
        key: 'thabo1',
        by: 'thabo',
        at: 20,
        body: 'Our Prevention of Organised Crime legislation takes a different approach: a *pattern of racketeering activity* needs at least two scheduled offences within a set period, and the schedule reaches offences well below a four-year maximum. So the threshold question does not arise for us in the same way. The evidential burden of proving the pattern is, however, considerable.',
      },
      {
        key: 'adebayo1',
        by: 'adebayo',
        to: 'thabo1',
        at: 26,
        body: 'That is helpful. How do your courts treat the link between the two offences: must they be connected to the same enterprise, or is it enough that the same accused committed both?',
      },
      {
        key: 'thabo2',
        by: 'thabo',
        to: 'adebayo1',
        at: 29,
        body: 'They must be linked to the enterprise. Two unrelated offences by the same person do not make a pattern. In counterfeit cases we usually prove the link through shared premises, vehicles and bank accounts.',
      },
      {
        by: 'daniel',
        to: 'thabo2',
        at: 40,
        body: "Shared bank accounts have been the decisive evidence in our pesticide matters as well. In one file the dealers were paid from the same account that paid the importer's clearing agent; the court treated that as proof of a single enterprise.",
      },
      {
        by: 'admin',
        at: 72,
        body: 'For colleagues in OAPI member States: the regional framework provides for criminal penalties for trademark infringement, but the terms vary in transposition. It would be useful if someone could compile the maximum penalties across the region; the programme can circulate the table once it exists.',
      },
    ],
    readers: { camille: 'all', sofia: 3, rafael: 1 },
  },
  {
    kind: 'case_note',
    title: 'Case note: conviction for trading in falsified antimalarials, and what the assay had to show',
    by: 'lan',
    daysAgo: 22,
    jurisdictions: ['VN', 'ASEAN'],
    topics: ['medical-products'],
    citations: [],
    body: "**Court**: a provincial People's Court, first instance, 2025 (anonymised at the parties' request).\n\n**Facts.** Two traders sold blister packs of an artemisinin-combination antimalarial to private clinics in a border district. The packs imitated a licensed product closely, including the batch number format.\n\n**Issue.** The defence did not dispute the sales. It argued that the tablets contained the declared active ingredients and that the product was therefore not *falsified*, only unlicensed.\n\n**Holding.** Conviction for trading in falsified medicines. The court relied on the laboratory report, which found each active ingredient at less than 40 % of the declared content, and on the false batch numbers. It held that a medicine is falsified where its composition *or* its identity or source is misrepresented; a substandard content together with a false batch number meets both limbs.\n\n**Comment.** The assay was decisive because the laboratory tested samples from every seized carton, not only a composite. The court said expressly that it would have had doubts about extrapolating from one sample to the whole consignment.",
    replies: [
      {
        key: 'priya1',
        by: 'priya',
        at: 14,
        body: "The point on sampling is important. Our trial courts differ on it. Some accept a statistically drawn sample with an expert's explanation; others insist, as your court suggested, on testing from each lot. Did the prosecution call the analyst, or was the report admitted on its own?",
      },
      {
        key: 'lan1',
        by: 'lan',
        to: 'priya1',
        at: 20,
        body: 'The analyst gave evidence and was questioned on the method. The court noted that the report alone would not have sufficed because the defence contested the chain of custody between seizure and laboratory.',
      },
      {
        by: 'camille',
        to: 'lan1',
        at: 45,
        body: 'Chain of custody is where most of our falsified-medicine files are fought as well. A sealed-bag register with photographs at each transfer has become routine in Paris, and challenges have fallen away since.',
        edits: [
          {
            after: 2,
            reason: 'Corrected: the register, not the bags, is photographed',
            body: 'Chain of custody is where most of our falsified-medicine files are fought as well. A sealed-bag register, with the seal numbers photographed at each transfer, has become routine in Paris, and challenges have fallen away since.',
          },
        ],
      },
    ],
    readers: { daniel: 2, adebayo: 'all' },
  },
  {
    kind: 'question',
    title: 'Small consignments under Regulation 608/2013: may customs destroy when the declarant stays silent?',
    by: 'johan',
    daysAgo: 19,
    jurisdictions: ['SE', 'EU'],
    topics: ['ip-trademark-counterfeiting', 'e-commerce'],
    citations: [
      ['eu-reg-608-2013', 'art. 23'],
      ['eu-reg-608-2013', 'art. 26'],
    ],
    body: 'We detain several hundred postal parcels a month containing suspected counterfeit watches and headphones. Under art. 26 the goods may be destroyed where the declarant or holder has not opposed destruction within ten working days of notification, and is then *deemed* to have agreed.\n\nTwo questions for colleagues in other Member States:\n\n1. Where notification letters are returned undelivered, do your authorities treat the silence as deemed agreement, or do you require proof of receipt?\n2. Has any court in your jurisdiction reviewed a destruction under the deemed-agreement rule?',
    replies: [
      {
        key: 'sofia1',
        by: 'sofia',
        at: 8,
        body: 'On the first question: practice in Spain is to treat a notification sent to the address given in the customs declaration as valid, returned or not. The reasoning is that the declarant chose that address. I know of no decision that has disturbed that practice, but it has not been tested at the appellate level to my knowledge.',
      },
      {
        key: 'johan1',
        by: 'johan',
        to: 'sofia1',
        at: 12,
        body: 'Thank you. The address on a postal declaration is often a parcel locker or a forwarding service, which makes me hesitate. Do you draw any distinction for those?',
      },
      {
        key: 'sofia2',
        by: 'sofia',
        to: 'johan1',
        at: 15,
        body: 'Not formally. But where the address is visibly a forwarding service, some offices also notify by the email given at purchase when the carrier provides it. That is good practice rather than a requirement.',
      },
      {
        by: 'camille',
        to: 'sofia2',
        at: 39,
        body: 'The same good practice in France, with one addition: the customs file records every attempt. Where destruction is later challenged, that record is what the court examines.',
      },
      {
        by: 'rafael',
        at: 70,
        body: 'Outside the EU, but for comparison: our customs may seize and destroy counterfeit goods administratively, and judicial review is available afterwards. The courts have upheld destruction where notice was published in the official gazette after a failed personal notification.',
      },
    ],
    readers: { aisha: 'all', admin: 3 },
  },
  {
    kind: 'discussion',
    title: 'Illicit cigarettes from a licensed local factory: proving that duty was not paid',
    by: 'thabo',
    daysAgo: 16,
    jurisdictions: ['ZA', 'SADC'],
    topics: ['illicit-tobacco', 'money-laundering'],
    citations: [
      ['fctc-illicit-trade-protocol', 'art. 8'],
      ['fctc-illicit-trade-protocol', 'art. 14'],
      ['untoc', 'art. 12'],
    ],
    body: "Most of our tobacco prosecutions no longer involve counterfeit brands. The cigarettes are genuine products of a licensed factory, declared for export and never exported, or produced beyond the declared volumes.\n\nThe difficulty is proof. The factory's records show lawful production; the excise account shows duty paid on what was declared. The undeclared volume appears only indirectly: in raw-material purchases, electricity consumption and the number of filter rods bought.\n\nI would welcome experience from colleagues on:\n\n- whether courts have accepted an *input-output* reconstruction as proof of undeclared production;\n- how tracking and tracing data, where a system exists, has been used in evidence.",
    edits: [
      {
        after: 3,
        reason: 'Added the second question',
        body: "Most of our tobacco prosecutions no longer involve counterfeit brands. The cigarettes are genuine products of a licensed factory, declared for export and never exported, or produced beyond the declared volumes.\n\nThe difficulty is proof. The factory's records show lawful production; the excise account shows duty paid on what was declared. The undeclared volume appears only indirectly: in raw-material purchases, electricity consumption and the number of filter rods bought.\n\nI would welcome experience from colleagues on:\n\n- whether courts have accepted an *input-output* reconstruction as proof of undeclared production;\n- how tracking and tracing data, where a system exists, has been used in evidence;\n- whether the reconstruction was presented by a forensic accountant or by a revenue official.",
      },
    ],
    replies: [
      {
        key: 'daniel1',
        by: 'daniel',
        at: 10,
        body: 'We had an input-output case before the High Court last year. The reconstruction was accepted, but only after the expert had explained the wastage rate and why it was conservative. The court was explicit that an unexplained conversion ratio would not have been enough.',
      },
      {
        key: 'thabo1',
        by: 'thabo',
        to: 'daniel1',
        at: 13,
        body: "Was the wastage rate taken from the factory's own figures or from an industry standard?",
      },
      {
        key: 'daniel2',
        by: 'daniel',
        to: 'thabo1',
        at: 16,
        body: "From the factory's own production reports, which the accused could hardly dispute. The industry figure was used only as a check.",
      },
      {
        key: 'adebayo1',
        by: 'adebayo',
        to: 'daniel2',
        at: 24,
        body: "That is the approach I would recommend too. Using the accused's own figures removes the main ground of attack. We also add the electricity readings where the meter is independent of the factory.",
      },
      {
        by: 'thabo',
        to: 'adebayo1',
        at: 27,
        body: 'A useful addition. Our meters are read by the municipality, so that evidence should be available.',
      },
      {
        key: 'aisha1',
        by: 'aisha',
        at: 48,
        body: "On tracking and tracing: art. 8 of the Protocol requires a system for cigarettes within five years of its entry into force for a Party. Where it exists, the unique identifiers let you show that a pack found on the market was never declared. Our courts have admitted the system's records as business records of the authority.",
      },
      {
        by: 'thabo',
        to: 'aisha1',
        at: 60,
        body: 'We do not yet have a system in operation, but that is a strong argument for one. Thank you all; I will report how the court deals with it.',
      },
    ],
    readers: { priya: 'all', rafael: 3 },
  },
  {
    kind: 'question',
    title: 'Counterfeit goods in transit through a free zone: whose jurisdiction, and which rules?',
    by: 'aisha',
    daysAgo: 13,
    jurisdictions: ['AE', 'GCC', 'INT'],
    topics: ['free-trade-zones', 'ip-trademark-counterfeiting'],
    citations: [
      ['trips', 'art. 51'],
      ['trips', 'art. 61'],
    ],
    body: 'A container of counterfeit automotive parts is transhipped through a free zone. It never enters the customs territory, and the declared destination is a third State.\n\nTRIPS art. 51 obliges Members to provide border measures against *importation* of counterfeit trademark goods; its footnote leaves goods in transit outside the obligation. Domestic law here nevertheless allows action in the free zone.\n\nHow have courts elsewhere approached the question whether counterfeit goods in transit can found a *criminal* charge, as opposed to a customs detention? I am particularly interested in whether the *commercial scale* element of art. 61 has been read to require a market in the transit State.',
    replies: [
      {
        key: 'johan1',
        by: 'johan',
        at: 18,
        body: 'In the EU, since the 2015 trade mark reform, a right holder may stop counterfeit goods in transit unless the declarant shows that the mark is not protected in the country of final destination. Criminal proceedings in transit cases are rare here; the detention is usually the end of the matter.',
      },
      {
        key: 'sofia1',
        by: 'sofia',
        to: 'johan1',
        at: 26,
        body: 'Rare, but not unknown. Where the transhipment involved relabelling or repacking in the zone, courts have found that an offence was committed on national territory: the goods were not merely passing through. That is often the key fact.',
      },
      {
        key: 'aisha1',
        by: 'aisha',
        to: 'sofia1',
        at: 30,
        body: 'That matches our experience: the cases that succeed are those where something was done to the goods in the zone. Did the courts treat relabelling as *use* of the mark, or as a separate offence?',
      },
      {
        by: 'sofia',
        to: 'aisha1',
        at: 35,
        body: 'As use of the mark in the course of trade: affixing it is use, wherever the buyer is. The commercial-scale question then answered itself, because the labels were applied to a whole container.',
      },
      {
        by: 'camille',
        at: 80,
        body: 'One further route: where the parts are safety-critical (brake pads, for example), the product-safety offences do not depend on the trademark at all. They may be the simpler charge in a transit case.',
      },
    ],
    readers: { adebayo: 'all', daniel: 1 },
  },
  {
    kind: 'case_note',
    title: 'Case note: an adulterated-fuel network — the laundering count stood, the organised-crime count fell',
    by: 'rafael',
    daysAgo: 11,
    jurisdictions: ['BR', 'MERCOSUR'],
    topics: ['illicit-fuel', 'money-laundering'],
    citations: [
      ['untoc', 'art. 6'],
      ['untoc', 'art. 12'],
    ],
    body: '**Court**: a federal court of first instance, 2026 (anonymised; the judgment is under appeal).\n\n**Facts.** A group of distributors mixed petrol with solvents bought under a tax regime for industrial use and sold the mixture at filling stations. Proceeds were invested in the stations themselves and in farmland.\n\n**Result.**\n\n- Conviction for laundering: the court found that buying farmland through relatives with cash deposits under the reporting threshold was disguise, not mere use of the proceeds.\n- Acquittal on the organised-crime count: the prosecution had not proved a stable structure with division of tasks; the evidence showed a family business that acted together occasionally.\n- Confiscation of the stations and the land ordered on the laundering count.\n\n**Comment.** The acquittal on the organised-crime count did not matter in practice, because confiscation followed from the laundering conviction.',
    replies: [
      {
        key: 'sofia1',
        by: 'sofia',
        at: 9,
        body: 'A clear note. Our courts draw the same distinction between an organisation and a mere group acting together; the stability of the structure is decisive. Was the laundering count based on the fuel offence as predicate, or on the tax fraud?',
        edits: [
          {
            after: 1,
            reason: 'Clarified the question',
            body: 'A clear note. Our courts draw the same distinction between an organisation and a mere group acting together; the stability of the structure is decisive. Was the laundering count based on the adulteration offence as predicate, or on the tax fraud involved in diverting the solvents?',
          },
          {
            after: 3,
            reason: 'Typo',
            body: 'A clear note. Our courts draw the same distinction between an organisation and a mere group acting together: the stability of the structure is decisive. Was the laundering count based on the adulteration offence as predicate, or on the tax fraud involved in diverting the solvents?',
          },
        ],
      },
      {
        by: 'rafael',
        to: 'sofia1',
        at: 14,
        body: 'Both were charged as predicates. The court relied mainly on the tax fraud, because the loss to the treasury was quantified precisely and the proceeds could be traced from it.',
      },
    ],
    readers: { thabo: 'all', adebayo: 1, camille: 2 },
  },
  {
    kind: 'discussion',
    title: 'Sentencing in ivory and pangolin-scale cases across East Africa: are we consistent?',
    by: 'daniel',
    daysAgo: 9,
    jurisdictions: ['KE', 'UG', 'TZ', 'EAC', 'AFU'],
    topics: ['wildlife-timber'],
    citations: [
      ['cites', 'art. VIII'],
      ['untoc', 'art. 2'],
    ],
    body: "A comparison of recent judgments in the region shows sentences for possession of similar quantities of raw ivory ranging from a fine to several years' imprisonment. Some of the difference is statutory; much of it is not.\n\nFactors I see courts weigh, not always consistently:\n\n1. the quantity and the number of animals it represents;\n2. the accused's role (carrier, broker, financier);\n3. whether the specimens were destined for export;\n4. cooperation with the investigation.\n\nIs there appetite for a short, non-binding note on sentencing factors, prepared by practitioners for practitioners? I would be glad to draft a first version.",
    replies: [
      {
        key: 'thabo1',
        by: 'thabo',
        at: 6,
        body: 'Yes, with one caution: a note should explain factors, not propose ranges. Ranges would be read as guidelines, and in some of our systems that is for the courts or the legislature alone.',
      },
      {
        key: 'daniel1',
        by: 'daniel',
        to: 'thabo1',
        at: 9,
        body: 'Agreed. Factors and the reasons for them, with references to reported judgments as illustrations.',
      },
      {
        key: 'adebayo1',
        by: 'adebayo',
        to: 'daniel1',
        at: 20,
        body: 'I would add one factor: whether the accused used a corporate vehicle or a licence to disguise the trade. Courts in West Africa have treated that as aggravating, and it connects to the organised-crime discussion elsewhere on the forum.',
      },
      {
        key: 'daniel2',
        by: 'daniel',
        to: 'adebayo1',
        at: 22,
        body: 'A good addition, and it fits within "role". I will include it.',
      },
      {
        key: 'lan1',
        by: 'lan',
        at: 30,
        body: 'From a destination country: our courts receive cases where scales arrive declared as fish maw or cattle horn. A note that covers the transit and destination ends of the chain would be valuable to us too. I can contribute examples of how quantity was proved when the shipment had been mixed with other goods.',
      },
      {
        by: 'priya',
        to: 'lan1',
        at: 44,
        body: "Proof of quantity in mixed shipments is a recurring difficulty here as well. The approach our courts accept is weighing after separation, in the presence of the accused's representative, with photographs of each stage.",
      },
      {
        by: 'daniel',
        at: 120,
        body: 'Thank you, all. I have a first outline and will post it as a separate thread once colleagues in Uganda and Tanzania have commented on the statutory part.',
      },
    ],
    readers: { sofia: 2, admin: 'all', johan: 1 },
  },
  {
    kind: 'question',
    title: 'Seized pesticides: what chain-of-custody records do courts ask for before admitting the analysis?',
    by: 'admin',
    daysAgo: 7,
    jurisdictions: ['INT', 'EU', 'ECOWAS', 'ASEAN'],
    topics: ['pesticides-agrochemicals'],
    citations: [
      ['untoc', 'art. 18'],
      ['rotterdam', null],
    ],
    body: "The programme is preparing a short practical guide for customs and police officers who seize suspected counterfeit or unregistered pesticides. The part we most need practitioners' help with is evidence.\n\nWhich records have your courts required before admitting the laboratory analysis? For example: seizure report, sampling record, seal numbers, transport log, laboratory receipt, the analyst's accreditation.\n\nAnd where samples were sent abroad for analysis, how was the evidence obtained: by mutual legal assistance request, or otherwise?",
    replies: [
      {
        key: 'camille1',
        by: 'camille',
        at: 5,
        body: "In France: the seizure report with the sealing (*placé sous scellés*) record, and the expert's appointment by the judge. Without the appointment, the analysis is a document like any other and may be contested freely.",
      },
      {
        key: 'adebayo1',
        by: 'adebayo',
        at: 11,
        body: 'Our courts ask for all of the records you list, and the weak point is usually the transport log between the port and the laboratory. Where samples went abroad, we used a formal request under the mutual legal assistance treaty; the results were admitted with a certificate from the foreign laboratory.',
      },
      {
        key: 'lan1',
        by: 'lan',
        to: 'adebayo1',
        at: 26,
        body: 'Did the certificate have to be authenticated, or was it admitted on the strength of the request?',
      },
      {
        by: 'adebayo',
        to: 'lan1',
        at: 30,
        body: 'On the strength of the request: the treaty provides that documents transmitted through the central authority need no further authentication. Without a treaty, we would have needed the apostille.',
      },
      {
        by: 'johan',
        to: 'camille1',
        at: 50,
        body: 'Customs perspective: the sampling record should say which containers were sampled and why. The defence in one of our cases argued that only the damaged drums had been tested.',
      },
    ],
    readers: { daniel: 'all', sofia: 'all', thabo: 2 },
  },
  {
    kind: 'discussion',
    title: 'Joint investigation teams for counterfeit spirits: what worked and what did not',
    by: 'sofia',
    daysAgo: 5,
    jurisdictions: ['ES', 'PT', 'FR', 'EU'],
    topics: ['illicit-alcohol', 'food-fraud'],
    citations: [['untoc', 'art. 19']],
    body: "Having taken part in two joint investigation teams on counterfeit spirits (bottles refilled with industrial alcohol and sold under premium brands), I offer some observations for discussion:\n\n- **Agree on the evidence rules early.** What one system admits as a witness statement another treats as a police note.\n- **One laboratory.** Two laboratories testing the same product produced results that the defence could set against each other.\n- **Decide where the trial will take place** before the arrests, not after.\n\nI would be interested in colleagues' experience, including outside the EU under UNTOC art. 19.",
    replies: [
      {
        key: 'camille1',
        by: 'camille',
        at: 7,
        body: 'On the last point: in our team the decision was left open, and it cost us months. I agree entirely that it must be settled at the start, even if it can be revisited.',
      },
      {
        key: 'rafael1',
        by: 'rafael',
        at: 28,
        body: 'Outside the EU, we have set up joint teams on the basis of art. 19 with neighbouring countries, by ad hoc agreement. The agreement itself had to list the applicable evidence rules; it took longer to negotiate than the investigation took to complete.',
      },
      {
        by: 'sofia',
        to: 'rafael1',
        at: 31,
        body: 'That is a useful warning. A model agreement, adapted from the EU one, might shorten that; I will see whether one can be shared here.',
      },
    ],
    readers: { johan: 'all', admin: 2 },
  },
  {
    kind: 'question',
    title: 'Sampling a consignment of counterfeit goods: must every carton be examined?',
    by: 'priya',
    daysAgo: 3,
    jurisdictions: ['IN', 'INT'],
    topics: ['ip-trademark-counterfeiting'],
    citations: [['trips', 'art. 61']],
    body: 'A question arising from a pending appeal. Customs seized 1,200 cartons of packaged goods bearing a registered mark. The examiner opened 30 cartons chosen at random and found counterfeit goods in all of them. The trial court convicted on the whole consignment.\n\nThe appellant argues that the *commercial scale* finding rests on an inference about 1,170 unopened cartons. How have other courts treated random sampling in trademark cases?',
    replies: [
      {
        by: 'lan',
        at: 20,
        body: 'Our court accepted sampling in a similar case when the examiner explained how the cartons were chosen and the packing was uniform. The weaker cases were those where the sample was taken from the cartons nearest the door.',
      },
      {
        by: 'johan',
        at: 30,
        body: 'For what it is worth, even a conservative reading makes 30 cartons a commercial quantity. The commercial-scale finding may not need the inference at all.',
      },
    ],
    readers: { camille: 1 },
  },
  {
    kind: 'question',
    title: 'Refrigerant cylinders mislabelled as an unregulated gas: a customs offence or an environmental crime?',
    by: 'lan',
    daysAgo: 1,
    jurisdictions: ['VN', 'ASEAN', 'INT'],
    topics: ['ozone-depleting-substances'],
    citations: [['montreal-protocol', 'art. 4B']],
    body: 'Cylinders declared as a refrigerant outside the licensing system were found, on analysis, to contain a controlled substance. The importer held no licence under the system the Montreal Protocol requires (art. 4B).\n\nThe prosecution must choose between the customs offence of false declaration and the environmental offence of importing a controlled substance without a licence. The penalties are similar. Which has proved easier to prove elsewhere, and has anyone charged both?',
    replies: [],
    readers: { daniel: 1, sofia: 1, admin: 1 },
  },
  {
    kind: 'question',
    comparative: true,
    title: 'Is the online sale of falsified medicines an offence in its own right?',
    by: 'camille',
    daysAgo: 3,
    jurisdictions: ['NG', 'BR', 'VN', 'IN'],
    topics: ['medical-products', 'e-commerce'],
    citations: [['medicrime', 'art. 5']],
    body: 'The Medicrime Convention asks States to make the *supplying* and *offering to supply* of falsified medical products an offence (art. 5). Many of us still prosecute online sellers through general fraud or trade-mark offences.\n\nFor each jurisdiction asked: is the online sale of a falsified medicine an offence in its own right, without proof that a buyer was deceived? Please state the provisions and the date your answer is good for.',
    replies: [
      {
        key: 'adebayo1',
        by: 'adebayo',
        at: 5,
        body: 'Yes. The Counterfeit and Fake Drugs and Unwholesome Processed Foods Act makes it an offence to sell or *offer for sale* any fake drug, whatever the channel, and deception of the buyer is not an element. NAFDAC has relied on it against online sellers since 2019.',
        answer: {
          jurisdiction: 'NG',
          provisions: ['Counterfeit and Fake Drugs and Unwholesome Processed Foods Act, s. 1', 'NAFDAC Act, s. 5'],
          lawAsOf: '2026-11-01',
          shortAnswer: 'Yes: selling or offering a fake drug is an offence in itself, online or not.',
        },
        accepted: true,
      },
      {
        key: 'rafael1',
        by: 'rafael',
        at: 9,
        body: 'Yes, and a serious one. Article 273 of the Penal Code punishes whoever sells, offers or exposes for sale a falsified medicinal product; the courts read "expõe à venda" to include an online listing. The minimum penalty is high enough that proportionality challenges are common.',
        answer: {
          jurisdiction: 'BR',
          provisions: ['Código Penal, art. 273, § 1º'],
          lawAsOf: '2026-10-15',
          shortAnswer: null,
        },
      },
      {
        key: 'lan1',
        by: 'lan',
        at: 20,
        body: "Yes since the 2017 Penal Code: trading in counterfeit medicines is an offence of its own (art. 194), and the Supreme People's Court guidance treats an online offer as trading. Before 2017 we relied on the general counterfeit-goods offence.",
        answer: {
          jurisdiction: 'VN',
          provisions: ['Penal Code 2015 (amended 2017), art. 194'],
          lawAsOf: '2026-09-30',
          shortAnswer: 'Yes: art. 194 covers trading in counterfeit medicines, online offers included.',
        },
      },
    ],
    readers: { priya: 1, admin: 'all' },
  },
];

/** Demo people who follow jurisdictions and crime areas, so "following" lists are not empty. */
export const DEMO_TAG_FOLLOWS: readonly { by: Who; target: 'jurisdiction' | 'topic'; key: string }[] = [
  { by: 'camille', target: 'jurisdiction', key: 'FR' },
  { by: 'camille', target: 'jurisdiction', key: 'EU' },
  { by: 'camille', target: 'topic', key: 'medical-products' },
  { by: 'daniel', target: 'jurisdiction', key: 'EAC' },
  { by: 'daniel', target: 'topic', key: 'wildlife-timber' },
  { by: 'johan', target: 'jurisdiction', key: 'EU' },
  { by: 'johan', target: 'topic', key: 'e-commerce' },
  { by: 'lan', target: 'jurisdiction', key: 'ASEAN' },
  { by: 'adebayo', target: 'topic', key: 'pesticides-agrochemicals' },
  { by: 'sofia', target: 'jurisdiction', key: 'ES' },
  { by: 'admin', target: 'jurisdiction', key: 'INT' },
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface PlannedPost {
  id: string;
  key: string;
  parentKey: string | null;
  by: Who;
  at: Date;
  body: string | null;
  sections: DemoSections | null;
  edits: DemoEdit[];
  answer?: DemoReply['answer'];
  accepted?: true;
}

/**
 * Writes the demo threads with their posts, revisions, follows and read state. Runs inside the
 * demo seed's transaction; `idOf` maps a demo person's email to their id.
 */
export function insertDemoThreads(
  tx: DbOrTx,
  { idOf, cook, now }: { idOf: (email: string) => string; cook: DemoCook; now: Date },
): void {
  const person = (who: Who) => idOf(`${who}@lexforum.test`);
  const cooked = (p: { body?: string | null; sections?: DemoSections | null }) =>
    p.sections ? cook.sections({ ...p.sections }).cooked : cook.markdown(p.body ?? '');
  const followed = new Set<string>();
  const follow = (who: Who, target: 'thread' | 'jurisdiction' | 'topic', key: string, at: Date) => {
    if (followed.has(`${who} ${target} ${key}`)) return;
    followed.add(`${who} ${target} ${key}`);
    tx.insert(follows)
      .values({ userId: person(who), target, key, createdAt: at })
      .run();
  };

  for (const t of DEMO_THREADS) {
    const threadId = randomUUID();
    const openedAt = new Date(now.getTime() - t.daysAgo * DAY);
    const planned: PlannedPost[] = [
      {
        id: randomUUID(),
        key: 'opening',
        parentKey: null,
        by: t.by,
        at: openedAt,
        body: t.sections ? null : (t.body ?? ''),
        sections: t.sections ?? null,
        edits: t.edits ?? [],
      },
      ...t.replies.map((r, i) => ({
        id: randomUUID(),
        key: r.key ?? `reply-${i}`,
        parentKey: r.to ?? 'opening',
        by: r.by,
        at: new Date(openedAt.getTime() + r.at * HOUR),
        body: r.body,
        sections: null,
        edits: r.edits ?? [],
        ...(r.answer ? { answer: r.answer } : {}),
        ...(r.accepted ? { accepted: r.accepted } : {}),
      })),
    ];
    // The data above is hand-written: refuse it rather than seed an impossible thread.
    planned.forEach((p, i) => {
      const before = planned[i - 1];
      if (before && before.at >= p.at) throw new Error(`demo thread "${t.title}": replies out of order`);
      const lastEdit = p.edits.reduce((sum, e) => sum + e.after, 0);
      if (p.at.getTime() + lastEdit * HOUR > now.getTime()) throw new Error(`demo thread "${t.title}": in the future`);
    });
    const byKey = new Map(planned.map((p) => [p.key, p]));
    const depth = new Map<string, number>();
    for (const p of planned) {
      if (p.parentKey === null) depth.set(p.key, 0);
      else {
        const parentDepth = depth.get(p.parentKey);
        if (parentDepth === undefined) throw new Error(`demo thread "${t.title}": unknown parent ${p.parentKey}`);
        depth.set(p.key, parentDepth + 1);
      }
    }
    const last = planned.at(-1)!;
    const opening = planned[0]!;
    const openingEditedAt = editTimes(opening).at(-1) ?? null;

    tx.insert(threads)
      .values({
        id: threadId,
        kind: t.kind,
        title: t.title,
        authorId: person(t.by),
        jurisdictions: t.jurisdictions,
        topics: t.topics,
        citations: t.citations.map(([instrument, provision]) => ({ instrument, provision })),
        lawAsOf: t.lawAsOf ?? null,
        personalCapacity: t.kind === 'legal_analysis',
        comparative: t.comparative === true,
        postCount: planned.length,
        participantCount: new Set(planned.map((p) => p.by)).size,
        lastPostAt: last.at,
        lastPosterId: person(last.by),
        createdAt: openedAt,
        updatedAt: openingEditedAt ?? openedAt,
      })
      .run();
    tx.insert(threadJurisdictions)
      .values(t.jurisdictions.map((code) => ({ threadId, code })))
      .run();
    tx.insert(threadTopics)
      .values(t.topics.map((slug) => ({ threadId, slug })))
      .run();
    const instrumentSlugs = [...new Set(t.citations.map(([instrument]) => instrument))];
    if (instrumentSlugs.length > 0) {
      tx.insert(threadInstruments)
        .values(instrumentSlugs.map((instrument) => ({ threadId, instrument })))
        .run();
    }

    planned.forEach((p, i) => {
      const times = editTimes(p);
      const current = p.edits.at(-1);
      const body = current ? (current.body ?? null) : p.body;
      const sections = current ? (current.sections ?? null) : p.sections;
      tx.insert(posts)
        .values({
          id: p.id,
          threadId,
          number: i + 1,
          parentId: p.parentKey === null ? null : byKey.get(p.parentKey)!.id,
          depth: depth.get(p.key)!,
          authorId: person(p.by),
          body,
          sections: sections ? { ...sections } : null,
          cooked: cooked({ body, sections }),
          version: 1 + p.edits.length,
          replyCount: planned.filter((c) => c.parentKey === p.key).length,
          createdAt: p.at,
          editedAt: times.at(-1) ?? null,
          answerFor: p.answer?.jurisdiction ?? null,
          answer: p.answer
            ? { provisions: p.answer.provisions, lawAsOf: p.answer.lawAsOf, shortAnswer: p.answer.shortAnswer }
            : null,
        })
        .run();
      if (p.accepted && p.answer) {
        tx.insert(acceptedAnswers)
          .values({
            threadId,
            scope: p.answer.jurisdiction,
            postId: p.id,
            acceptedById: person(t.by),
            acceptedAt: new Date(p.at.getTime() + HOUR),
          })
          .run();
      }
      // Every version, the current one included; version 1 is the original.
      const versions = [{ body: p.body, sections: p.sections, reason: null as string | null, at: p.at }].concat(
        p.edits.map((e, j) => ({
          body: e.body ?? null,
          sections: e.sections ?? null,
          reason: e.reason,
          at: times[j]!,
        })),
      );
      tx.insert(postRevisions)
        .values(
          versions.map((v, j) => ({
            postId: p.id,
            version: j + 1,
            editorId: person(p.by),
            reason: v.reason,
            title: i === 0 ? t.title : null,
            meta:
              i === 0
                ? {
                    jurisdictions: t.jurisdictions,
                    topics: t.topics,
                    citations: t.citations.map(([instrument, provision]) => ({ instrument, provision })),
                    lawAsOf: t.lawAsOf ?? null,
                  }
                : null,
            body: v.body,
            sections: v.sections ? { ...v.sections } : null,
            cooked: cooked(v),
            answer: p.answer ? { ...p.answer } : null,
            createdAt: v.at,
          })),
        )
        .run();
    });

    // Authors follow the threads they start or reply to, as the server does; each participant has
    // read up to their own last post, and a few others opened the thread, so unread markers show.
    const readUpTo = new Map<Who, { number: number; at: Date }>();
    planned.forEach((p, i) => {
      follow(p.by, 'thread', threadId, p.at);
      readUpTo.set(p.by, { number: i + 1, at: p.at });
    });
    for (const [who, upTo] of Object.entries(t.readers ?? {}) as [Who, number | 'all'][]) {
      const number = upTo === 'all' ? planned.length : Math.min(upTo, planned.length);
      const at = new Date(planned[number - 1]!.at.getTime() + HOUR);
      if ((readUpTo.get(who)?.number ?? 0) < number) readUpTo.set(who, { number, at });
    }
    for (const [who, read] of readUpTo) {
      tx.insert(threadReads)
        .values({ userId: person(who), threadId, lastReadNumber: read.number, updatedAt: read.at })
        .run();
    }

    // The notifications the server would have sent for the replies of the last fortnight: a reply
    // to your post (read once you read that far), as in notifyNewPost.
    planned.forEach((p, i) => {
      const parent = p.parentKey === null ? null : byKey.get(p.parentKey)!;
      if (!parent || parent.by === p.by || now.getTime() - p.at.getTime() > 14 * DAY) return;
      const readTo = readUpTo.get(parent.by)?.number ?? 0;
      tx.insert(notifications)
        .values({
          userId: person(parent.by),
          kind: 'reply_to_post',
          subject: t.title,
          body: cook.excerpt(p.body ?? ''),
          link: `/threads/${threadId}#post-${i + 1}`,
          actorId: person(p.by),
          threadId,
          postId: p.id,
          readAt: readTo >= i + 1 ? new Date(p.at.getTime() + HOUR) : null,
          createdAt: p.at,
        })
        .run();
    });
  }

  const firstDay = new Date(now.getTime() - 40 * DAY);
  for (const f of DEMO_TAG_FOLLOWS) follow(f.by, f.target, f.key, firstDay);
  insertDemoModeration(tx, { person, cook, now });
}

/**
 * Work for the moderators on first start: an open report on a reply in a French thread (Sofia's
 * queue) and a reply held for review in an East African one (Daniel's), written as the real
 * actions would have written them.
 */
function insertDemoModeration(
  tx: DbOrTx,
  { person, cook, now }: { person: (who: Who) => string; cook: DemoCook; now: Date },
): void {
  const threadTagged = (code: string) =>
    tx.get<{ id: string; title: string; jurisdictions: string }>(
      sql`select t.id, t.title, t.jurisdictions from ${threads} t
          where exists (select 1 from ${threadJurisdictions} j where j.thread_id = t.id and j.code = ${code})
          order by t.created_at limit 1`,
    );
  const french = threadTagged('FR');
  const reporter = person('adebayo');
  const reply = french
    ? tx.get<{ id: string; authorId: string }>(
        sql`select id, author_id as authorId from ${posts}
            where thread_id = ${french.id} and number > 1
              and author_id not in (${reporter}, ${person('sofia')}, ${person('daniel')}, ${person('admin')})
            order by number limit 1`,
      )
    : undefined;
  if (french && reply) {
    const at = new Date(now.getTime() - 20 * HOUR);
    const item = tx
      .insert(reviewItems)
      .values({
        kind: 'post',
        postId: reply.id,
        threadId: french.id,
        authorId: reply.authorId,
        jurisdictions: JSON.parse(french.jurisdictions) as string[],
        createdAt: at,
      })
      .returning({ id: reviewItems.id })
      .get();
    tx.insert(reports)
      .values({
        itemId: item.id,
        postId: reply.id,
        reporterId: reporter,
        reason: 'inaccurate_law',
        note: 'This cites the article as it stood before the 2023 amendment; the penalties quoted are no longer in force.',
        createdAt: at,
      })
      .run();
  }
  const eastAfrican = threadTagged('KE') ?? threadTagged('EAC');
  if (eastAfrican) {
    const body =
      'Our unit saw the same counterfeit labels on pesticide drums at the port of Durban last month. ' +
      'Has anyone obtained a forensic comparison of the printing that a court accepted?';
    tx.insert(reviewItems)
      .values({
        kind: 'submission',
        threadId: eastAfrican.id,
        authorId: person('thabo'),
        submission: { type: 'reply', body: { body, parentId: null } },
        cooked: cook.markdown(body),
        jurisdictions: JSON.parse(eastAfrican.jurisdictions) as string[],
        createdAt: new Date(now.getTime() - 3 * HOUR),
      })
      .run();
  }
}

/** When each edit of a post was saved: `after` counts from the previous version. */
function editTimes(p: { at: Date; edits: DemoEdit[] }): Date[] {
  let t = p.at.getTime();
  return p.edits.map((e) => new Date((t += e.after * HOUR)));
}
