import { mount } from 'svelte';
import App from './App.svelte';
import { applyDocumentLocale } from './lib/i18n.js';
import './styles/tokens.css';
import './styles/base.css';

applyDocumentLocale();
const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
export default mount(App, { target });
