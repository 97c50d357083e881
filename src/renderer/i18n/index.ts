import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { z } from 'zod';
import { en } from './en';
import { featureDictionaries } from './features';
import { id } from './id';

export type Lang = 'id' | 'en';
const STORAGE_KEY = 'rukun.lang';

export function storedLanguage(): Lang {
  const v = localStorage.getItem(STORAGE_KEY);
  return v === 'en' ? 'en' : 'id';
}

/** The office default applies until someone picks a language on this device. */
export function applyOfficeLanguage(lang: Lang) {
  if (localStorage.getItem(STORAGE_KEY) === null && i18n.language !== lang) {
    applyZodLocale(lang);
    document.documentElement.lang = lang;
    void i18n.changeLanguage(lang);
  }
}

/** Zod's own messages follow the UI language, so client-side form errors read naturally. */
function applyZodLocale(lang: Lang) {
  z.config(lang === 'id' ? z.locales.id() : z.locales.en());
}

export function setLanguage(lang: Lang) {
  localStorage.setItem(STORAGE_KEY, lang);
  applyZodLocale(lang);
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

const initial = storedLanguage();
applyZodLocale(initial);
void i18n.use(initReactI18next).init({
  resources: {
    id: { translation: Object.assign({}, id, ...featureDictionaries.map((d) => d.id)) },
    en: { translation: Object.assign({}, en, ...featureDictionaries.map((d) => d.en)) },
  },
  lng: initial,
  fallbackLng: 'id',
  interpolation: { escapeValue: false },
});

export default i18n;
