import type { ReferenceLocale } from './types.js';

/**
 * Reference names in French (see types.ts). Instrument titles are the official French texts as the
 * depositaries publish them (UN Treaty Collection, Council of Europe, WHO, WTO, UNEP, UNESCO, UNIDROIT,
 * EUR-Lex); regional bodies under their official French names.
 */
export const FR: ReferenceLocale = {
  jurisdictions: {
    EU: { name: 'Union européenne' },
    COE: { name: 'Conseil de l’Europe' },
    ECOWAS: { name: 'Communauté économique des États de l’Afrique de l’Ouest' },
    AFU: { name: 'Union africaine' },
    ASEAN: { name: 'Association des nations de l’Asie du Sud-Est' },
    OAS: { name: 'Organisation des États américains' },
    CARICOM: { name: 'Communauté des Caraïbes' },
    SADC: { name: 'Communauté de développement de l’Afrique australe' },
    EAC: { name: 'Communauté d’Afrique de l’Est' },
    GCC: { name: 'Conseil de coopération du Golfe' },
    CAN: { name: 'Communauté andine' },
    MERCOSUR: { name: 'Marché commun du Sud (Mercosur)' },
    EAEU: { name: 'Union économique eurasiatique' },
    SICA: { name: 'Système d’intégration centraméricain' },
    PIF: { name: 'Forum des îles du Pacifique' },
    OAPI: { name: 'Organisation africaine de la propriété intellectuelle' },
    INT: { name: 'Droit international' },
  },
  topics: {
    'medical-products': {
      name: 'Produits médicaux contrefaits et falsifiés',
      description:
        'Médicaments, dispositifs médicaux et produits de diagnostic falsifiés, de qualité inférieure ou non autorisés, et leurs chaînes d’approvisionnement.',
    },
    'illicit-tobacco': {
      name: 'Tabac illicite',
      description:
        'Contrebande, contrefaçon et fabrication illicite de cigarettes et d’autres produits du tabac et de la nicotine.',
    },
    'illicit-alcohol': {
      name: 'Alcool illicite',
      description:
        'Boissons alcoolisées contrefaites, de contrebande, non taxées ou non enregistrées, y compris les spiritueux contaminés au méthanol.',
    },
    'pesticides-agrochemicals': {
      name: 'Pesticides et produits agrochimiques contrefaits',
      description:
        'Pesticides, engrais, semences et autres intrants agricoles contrefaits, non homologués ou de contrebande.',
    },
    'illicit-fuel': {
      name: 'Carburants illicites',
      description:
        'Contrebande de carburants, blanchiment de carburants marqués, frelatage et vol de pétrole et de produits raffinés.',
    },
    'food-fraud': {
      name: 'Fraude alimentaire',
      description:
        'Altération, substitution, étiquetage trompeur et contrefaçon délibérés de denrées alimentaires et de boissons à des fins lucratives.',
    },
    'ip-trademark-counterfeiting': {
      name: 'Contrefaçon de marques et atteintes à la propriété intellectuelle',
      description:
        'Fabrication, importation et vente de marchandises portant atteinte aux marques, dessins et modèles, brevets et autres droits de propriété intellectuelle.',
    },
    'copyright-piracy': {
      name: 'Piratage d’œuvres protégées par le droit d’auteur',
      description:
        'Reproduction et diffusion non autorisées d’œuvres protégées, y compris la diffusion en continu et le téléchargement en ligne.',
    },
    'wildlife-timber': {
      name: 'Trafic d’espèces sauvages et de bois',
      description:
        'Braconnage, exploitation forestière illégale et commerce illégal de faune et de flore sauvages, de leurs parties et de leurs produits dérivés.',
    },
    'cultural-property': {
      name: 'Biens culturels',
      description:
        'Pillage, vol, exportation illicite et trafic d’objets culturels et d’antiquités, et contrefaçons qui y sont liées.',
    },
    firearms: {
      name: 'Armes à feu',
      description: 'Fabrication et trafic illicites d’armes à feu, de leurs pièces, éléments et munitions.',
    },
    'waste-hazardous-chemicals': {
      name: 'Déchets et produits chimiques dangereux',
      description:
        'Transferts et déversements illégaux de déchets et commerce illicite de produits chimiques dangereux et de polluants.',
    },
    'ozone-depleting-substances': {
      name: 'Substances qui appauvrissent la couche d’ozone',
      description:
        'Contrebande de substances qui appauvrissent la couche d’ozone et de gaz fluorés réglementés par le Protocole de Montréal.',
    },
    'money-laundering': {
      name: 'Blanchiment d’argent',
      description:
        'Dissimulation et transfert du produit du commerce illicite, y compris le blanchiment d’argent fondé sur le commerce.',
    },
    'e-commerce': {
      name: 'Commerce électronique et places de marché en ligne',
      description:
        'Vente de marchandises illicites par l’intermédiaire de places de marché en ligne, de réseaux sociaux, de sites web et d’envois de petits colis.',
    },
    'free-trade-zones': {
      name: 'Zones franches et transbordement',
      description:
        'Utilisation abusive des zones franches, du transit et du transbordement pour dissimuler l’origine et l’itinéraire de marchandises illicites.',
    },
    corruption: {
      name: 'Corruption',
      description:
        'Actes de corruption et abus de fonctions qui facilitent le commerce illicite, notamment dans les douanes, les ports et les autorités de réglementation.',
    },
  },
  instruments: {
    untoc: {
      shortName: 'CTO',
      title: 'Convention des Nations Unies contre la criminalité transnationale organisée',
      body: 'Organisation des Nations Unies',
    },
    'untoc-trafficking-persons-protocol': {
      shortName: 'Protocole relatif à la traite des personnes',
      title:
        'Protocole additionnel à la Convention des Nations Unies contre la criminalité transnationale organisée ' +
        'visant à prévenir, réprimer et punir la traite des personnes, en particulier des femmes et des enfants',
      body: 'Organisation des Nations Unies',
    },
    'untoc-smuggling-migrants-protocol': {
      shortName: 'Protocole relatif au trafic illicite de migrants',
      title:
        'Protocole contre le trafic illicite de migrants par terre, air et mer, ' +
        'additionnel à la Convention des Nations Unies contre la criminalité transnationale organisée',
      body: 'Organisation des Nations Unies',
    },
    'untoc-firearms-protocol': {
      shortName: 'Protocole relatif aux armes à feu',
      title:
        'Protocole contre la fabrication et le trafic illicites d’armes à feu, de leurs pièces, éléments et ' +
        'munitions, additionnel à la Convention des Nations Unies contre la criminalité transnationale organisée',
      body: 'Organisation des Nations Unies',
    },
    uncac: {
      shortName: 'CNUCC',
      title: 'Convention des Nations Unies contre la corruption',
      body: 'Organisation des Nations Unies',
    },
    'single-convention-1961': {
      shortName: 'Convention unique de 1961',
      title: 'Convention unique sur les stupéfiants de 1961',
      body: 'Organisation des Nations Unies',
    },
    'psychotropic-substances-1971': {
      shortName: 'Convention de 1971',
      title: 'Convention sur les substances psychotropes de 1971',
      body: 'Organisation des Nations Unies',
    },
    'drug-trafficking-convention-1988': {
      shortName: 'Convention de 1988',
      title: 'Convention des Nations Unies contre le trafic illicite de stupéfiants et de substances psychotropes',
      body: 'Organisation des Nations Unies',
    },
    medicrime: {
      shortName: 'Convention Médicrime',
      title:
        'Convention du Conseil de l’Europe sur la contrefaçon des produits médicaux et les infractions similaires ' +
        'menaçant la santé publique',
      body: 'Conseil de l’Europe',
    },
    fctc: {
      shortName: 'CCLAT de l’OMS',
      title: 'Convention-cadre de l’OMS pour la lutte antitabac',
      body: 'OMS',
    },
    'fctc-illicit-trade-protocol': {
      shortName: 'Protocole sur le commerce illicite',
      title: 'Protocole pour éliminer le commerce illicite des produits du tabac',
      body: 'OMS',
    },
    trips: {
      shortName: 'Accord sur les ADPIC',
      title: 'Accord sur les aspects des droits de propriété intellectuelle qui touchent au commerce',
      body: 'OMC',
    },
    cites: {
      shortName: 'CITES',
      title: 'Convention sur le commerce international des espèces de faune et de flore sauvages menacées d’extinction',
      body: 'PNUE',
    },
    basel: {
      shortName: 'Convention de Bâle',
      title:
        'Convention de Bâle sur le contrôle des mouvements transfrontières de déchets dangereux et de leur élimination',
      body: 'PNUE',
    },
    rotterdam: {
      shortName: 'Convention de Rotterdam',
      title:
        'Convention de Rotterdam sur la procédure de consentement préalable en connaissance de cause applicable ' +
        'dans le cas de certains produits chimiques et pesticides dangereux qui font l’objet d’un commerce international',
      body: 'PNUE et FAO',
    },
    stockholm: {
      shortName: 'Convention de Stockholm',
      title: 'Convention de Stockholm sur les polluants organiques persistants',
      body: 'PNUE',
    },
    'montreal-protocol': {
      shortName: 'Protocole de Montréal',
      title: 'Protocole de Montréal relatif à des substances qui appauvrissent la couche d’ozone',
      body: 'PNUE',
    },
    minamata: {
      shortName: 'Convention de Minamata',
      title: 'Convention de Minamata sur le mercure',
      body: 'PNUE',
    },
    'unesco-1970': {
      shortName: 'Convention de l’UNESCO de 1970',
      title:
        'Convention concernant les mesures à prendre pour interdire et empêcher l’importation, l’exportation ' +
        'et le transfert de propriété illicites des biens culturels',
      body: 'UNESCO',
    },
    'unidroit-1995': {
      shortName: 'Convention d’UNIDROIT de 1995',
      title: 'Convention d’UNIDROIT sur les biens culturels volés ou illicitement exportés',
      body: 'UNIDROIT',
    },
    nicosia: {
      shortName: 'Convention de Nicosie',
      title: 'Convention du Conseil de l’Europe sur les infractions visant des biens culturels',
      body: 'Conseil de l’Europe',
    },
    budapest: {
      shortName: 'Convention de Budapest',
      title: 'Convention sur la cybercriminalité',
      body: 'Conseil de l’Europe',
    },
    warsaw: {
      shortName: 'Convention de Varsovie',
      title:
        'Convention du Conseil de l’Europe relative au blanchiment, au dépistage, à la saisie et à la confiscation ' +
        'des produits du crime et au financement du terrorisme',
      body: 'Conseil de l’Europe',
    },
    'eu-reg-608-2013': {
      shortName: 'Règlement (UE) n° 608/2013',
      title:
        'Règlement (UE) n° 608/2013 du Parlement européen et du Conseil du 12 juin 2013 concernant le contrôle, ' +
        'par les autorités douanières, du respect des droits de propriété intellectuelle et abrogeant le ' +
        'règlement (CE) n° 1383/2003 du Conseil',
      body: 'Union européenne',
    },
    'eu-dir-2004-48': {
      shortName: 'Directive relative au respect des droits de propriété intellectuelle',
      title:
        'Directive 2004/48/CE du Parlement européen et du Conseil du 29 avril 2004 ' +
        'relative au respect des droits de propriété intellectuelle',
      body: 'Union européenne',
    },
    'eu-dir-2011-62': {
      shortName: 'Directive sur les médicaments falsifiés',
      title:
        'Directive 2011/62/UE du Parlement européen et du Conseil du 8 juin 2011 modifiant la directive ' +
        '2001/83/CE instituant un code communautaire relatif aux médicaments à usage humain, en ce qui concerne ' +
        'la prévention de l’introduction dans la chaîne d’approvisionnement légale de médicaments falsifiés',
      body: 'Union européenne',
    },
  },
};
