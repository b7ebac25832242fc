import type { ReferenceLocale } from './types.js';

const UNTOC = 'Convención de las Naciones Unidas contra la Delincuencia Organizada Transnacional';

/**
 * Reference names in es (see types.ts): the official Spanish titles as the depositaries publish them
 * (United Nations Treaty Collection, Council of Europe, WHO, WTO, UNEP, UNESCO, UNIDROIT, EUR-Lex).
 */
export const ES: ReferenceLocale = {
  jurisdictions: {
    EU: { name: 'Unión Europea' },
    COE: { name: 'Consejo de Europa' },
    ECOWAS: { name: 'Comunidad Económica de los Estados de África Occidental' },
    AFU: { name: 'Unión Africana' },
    ASEAN: { name: 'Asociación de Naciones de Asia Sudoriental' },
    OAS: { name: 'Organización de los Estados Americanos' },
    CARICOM: { name: 'Comunidad del Caribe' },
    SADC: { name: 'Comunidad de África Meridional para el Desarrollo' },
    EAC: { name: 'Comunidad de África Oriental' },
    GCC: { name: 'Consejo de Cooperación del Golfo' },
    CAN: { name: 'Comunidad Andina' },
    MERCOSUR: { name: 'Mercosur' },
    EAEU: { name: 'Unión Económica Euroasiática' },
    SICA: { name: 'Sistema de la Integración Centroamericana' },
    PIF: { name: 'Foro de las Islas del Pacífico' },
    OAPI: { name: 'Organización Africana de la Propiedad Intelectual' },
    INT: { name: 'Derecho internacional' },
  },
  topics: {
    'medical-products': {
      name: 'Productos médicos falsificados',
      description:
        'Medicamentos, dispositivos médicos y productos de diagnóstico falsificados, de calidad subestándar y no autorizados, y sus cadenas de suministro.',
    },
    'illicit-tobacco': {
      name: 'Tabaco ilícito',
      description:
        'Contrabando, falsificación y fabricación ilícita de cigarrillos y otros productos de tabaco y nicotina.',
    },
    'illicit-alcohol': {
      name: 'Alcohol ilícito',
      description:
        'Bebidas alcohólicas falsificadas, de contrabando, no gravadas y no registradas, incluidas las bebidas espirituosas contaminadas con metanol.',
    },
    'pesticides-agrochemicals': {
      name: 'Plaguicidas y agroquímicos falsificados',
      description:
        'Plaguicidas, fertilizantes, semillas y otros insumos agrícolas falsificados, no registrados y de contrabando.',
    },
    'illicit-fuel': {
      name: 'Combustible ilícito',
      description:
        'Contrabando de combustible, blanqueo de combustible marcado, adulteración y robo de petróleo y productos refinados.',
    },
    'food-fraud': {
      name: 'Fraude alimentario',
      description:
        'Adulteración, sustitución, etiquetado engañoso y falsificación deliberados de alimentos y bebidas con fines de lucro.',
    },
    'ip-trademark-counterfeiting': {
      name: 'Falsificación de marcas y de propiedad intelectual',
      description:
        'Fabricación, importación y venta de mercancías que infringen marcas, dibujos y modelos, patentes y otros derechos de propiedad intelectual.',
    },
    'copyright-piracy': {
      name: 'Piratería de derechos de autor',
      description:
        'Reproducción y distribución no autorizadas de obras protegidas, incluidas la transmisión en línea y las descargas.',
    },
    'wildlife-timber': {
      name: 'Tráfico de vida silvestre y madera',
      description:
        'Caza furtiva, tala ilegal y comercio ilegal de fauna y flora silvestres, sus partes y productos derivados.',
    },
    'cultural-property': {
      name: 'Bienes culturales',
      description:
        'Saqueo, robo, exportación ilícita y tráfico de bienes culturales y antigüedades, y falsificaciones conexas.',
    },
    firearms: {
      name: 'Armas de fuego',
      description: 'Fabricación y tráfico ilícitos de armas de fuego, sus piezas y componentes y municiones.',
    },
    'waste-hazardous-chemicals': {
      name: 'Desechos y productos químicos peligrosos',
      description:
        'Transporte y vertido ilegales de desechos y comercio ilícito de productos químicos peligrosos y contaminantes.',
    },
    'ozone-depleting-substances': {
      name: 'Sustancias que agotan la capa de ozono',
      description:
        'Contrabando de sustancias que agotan la capa de ozono y de gases fluorados sujetos a control en virtud del Protocolo de Montreal.',
    },
    'money-laundering': {
      name: 'Blanqueo de dinero',
      description:
        'Ocultación y movimiento del producto del comercio ilícito, incluido el blanqueo de dinero basado en el comercio.',
    },
    'e-commerce': {
      name: 'Comercio electrónico y mercados en línea',
      description:
        'Venta de mercancías ilícitas a través de mercados en línea, redes sociales, sitios web y envíos de paquetes pequeños.',
    },
    'free-trade-zones': {
      name: 'Zonas francas y transbordo',
      description:
        'Uso indebido de zonas francas, del tránsito y del transbordo para encubrir el origen y la ruta de mercancías ilícitas.',
    },
    corruption: {
      name: 'Corrupción',
      description:
        'Soborno y abuso de funciones que facilitan el comercio ilícito, incluso en aduanas, puertos y organismos reguladores.',
    },
  },
  instruments: {
    untoc: {
      shortName: 'Convención contra la Delincuencia Organizada',
      title: UNTOC,
      body: 'Naciones Unidas',
    },
    'untoc-trafficking-persons-protocol': {
      shortName: 'Protocolo contra la trata de personas',
      title: `Protocolo para prevenir, reprimir y sancionar la trata de personas, especialmente mujeres y niños, que complementa la ${UNTOC}`,
      body: 'Naciones Unidas',
    },
    'untoc-smuggling-migrants-protocol': {
      shortName: 'Protocolo contra el tráfico ilícito de migrantes',
      title: `Protocolo contra el tráfico ilícito de migrantes por tierra, mar y aire, que complementa la ${UNTOC}`,
      body: 'Naciones Unidas',
    },
    'untoc-firearms-protocol': {
      shortName: 'Protocolo sobre armas de fuego',
      title: `Protocolo contra la fabricación y el tráfico ilícitos de armas de fuego, sus piezas y componentes y municiones, que complementa la ${UNTOC}`,
      body: 'Naciones Unidas',
    },
    uncac: {
      shortName: 'Convención contra la Corrupción',
      title: 'Convención de las Naciones Unidas contra la Corrupción',
      body: 'Naciones Unidas',
    },
    'single-convention-1961': {
      shortName: 'Convención Única de 1961',
      title: 'Convención Única de 1961 sobre Estupefacientes',
      body: 'Naciones Unidas',
    },
    'psychotropic-substances-1971': {
      shortName: 'Convenio de 1971',
      title: 'Convenio sobre Sustancias Sicotrópicas de 1971',
      body: 'Naciones Unidas',
    },
    'drug-trafficking-convention-1988': {
      shortName: 'Convención de 1988',
      title: 'Convención de las Naciones Unidas contra el Tráfico Ilícito de Estupefacientes y Sustancias Sicotrópicas',
      body: 'Naciones Unidas',
    },
    medicrime: {
      shortName: 'Convenio Medicrime',
      title:
        'Convenio del Consejo de Europa sobre la falsificación de productos médicos y delitos similares que supongan una amenaza para la salud pública',
      body: 'Consejo de Europa',
    },
    fctc: {
      shortName: 'CMCT de la OMS',
      title: 'Convenio Marco de la OMS para el Control del Tabaco',
      body: 'OMS',
    },
    'fctc-illicit-trade-protocol': {
      shortName: 'Protocolo sobre el comercio ilícito de tabaco',
      title: 'Protocolo para la eliminación del comercio ilícito de productos de tabaco',
      body: 'OMS',
    },
    trips: {
      shortName: 'Acuerdo sobre los ADPIC',
      title: 'Acuerdo sobre los Aspectos de los Derechos de Propiedad Intelectual relacionados con el Comercio',
      body: 'OMC',
    },
    cites: {
      shortName: 'CITES',
      title: 'Convención sobre el Comercio Internacional de Especies Amenazadas de Fauna y Flora Silvestres',
      body: 'PNUMA',
    },
    basel: {
      shortName: 'Convenio de Basilea',
      title:
        'Convenio de Basilea sobre el Control de los Movimientos Transfronterizos de los Desechos Peligrosos y su Eliminación',
      body: 'PNUMA',
    },
    rotterdam: {
      shortName: 'Convenio de Rotterdam',
      title:
        'Convenio de Rotterdam sobre el Procedimiento de Consentimiento Fundamentado Previo Aplicable a Ciertos Plaguicidas y Productos Químicos Peligrosos Objeto de Comercio Internacional',
      body: 'PNUMA y FAO',
    },
    stockholm: {
      shortName: 'Convenio de Estocolmo',
      title: 'Convenio de Estocolmo sobre Contaminantes Orgánicos Persistentes',
      body: 'PNUMA',
    },
    'montreal-protocol': {
      shortName: 'Protocolo de Montreal',
      title: 'Protocolo de Montreal relativo a las Sustancias que Agotan la Capa de Ozono',
      body: 'PNUMA',
    },
    minamata: {
      shortName: 'Convenio de Minamata',
      title: 'Convenio de Minamata sobre el Mercurio',
      body: 'PNUMA',
    },
    'unesco-1970': {
      shortName: 'Convención de la UNESCO de 1970',
      title:
        'Convención sobre las Medidas que Deben Adoptarse para Prohibir e Impedir la Importación, la Exportación y la Transferencia de Propiedad Ilícitas de Bienes Culturales',
      body: 'UNESCO',
    },
    'unidroit-1995': {
      shortName: 'Convenio de UNIDROIT de 1995',
      title: 'Convenio de UNIDROIT sobre los Bienes Culturales Robados o Exportados Ilícitamente',
      body: 'UNIDROIT',
    },
    nicosia: {
      shortName: 'Convenio de Nicosia',
      title: 'Convenio del Consejo de Europa sobre las infracciones relativas a los bienes culturales',
      body: 'Consejo de Europa',
    },
    budapest: {
      shortName: 'Convenio de Budapest',
      title: 'Convenio sobre la Ciberdelincuencia',
      body: 'Consejo de Europa',
    },
    warsaw: {
      shortName: 'Convenio de Varsovia',
      title:
        'Convenio del Consejo de Europa relativo al blanqueo, seguimiento, embargo y comiso de los productos del delito y a la financiación del terrorismo',
      body: 'Consejo de Europa',
    },
    'eu-reg-608-2013': {
      shortName: 'Reglamento (UE) n.º 608/2013',
      title:
        'Reglamento (UE) n.º 608/2013 del Parlamento Europeo y del Consejo, de 12 de junio de 2013, relativo a la vigilancia por parte de las autoridades aduaneras del respeto de los derechos de propiedad intelectual y por el que se deroga el Reglamento (CE) n.º 1383/2003 del Consejo',
      body: 'Unión Europea',
    },
    'eu-dir-2004-48': {
      shortName: 'Directiva relativa al respeto de los derechos de propiedad intelectual',
      title:
        'Directiva 2004/48/CE del Parlamento Europeo y del Consejo, de 29 de abril de 2004, relativa al respeto de los derechos de propiedad intelectual',
      body: 'Unión Europea',
    },
    'eu-dir-2011-62': {
      shortName: 'Directiva sobre medicamentos falsificados',
      title:
        'Directiva 2011/62/UE del Parlamento Europeo y del Consejo, de 8 de junio de 2011, que modifica la Directiva 2001/83/CE por la que se establece un código comunitario sobre medicamentos de uso humano, en lo relativo a la prevención de la entrada de medicamentos falsificados en la cadena de suministro legal',
      body: 'Unión Europea',
    },
  },
};
