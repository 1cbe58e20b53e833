/**
 * Masking of personal data in text that others will read (docs/security.md PI-7): the public board,
 * the public view of a followed ticket, notices to others, retention. A leaf: it imports no module,
 * so every module that shows text to someone else may use it.
 */
export { assessPublicText, isValidIdNumber, maskContactData, maskCuedNames, maskPersonName, maskPublicText, type MaskContext } from './masking'
