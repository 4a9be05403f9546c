import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { connectApi } from './api'
import { setApi } from './api/current'
import { framed } from './api/frames'
import { startSync } from './api/sync'
import { storeSink } from './stores/sync'
import { loadUiState } from './stores/uiState'
import { restorePoolSettings } from './stores/pools'
import './styles/main.css'

const pinia = createPinia()
const app = createApp(App).use(pinia)
const api = connectApi()
setApi(api)
startSync(api, framed(storeSink()))
// Saved drafts, theme and sizes come from the host's file before the stores read them.
void loadUiState(api).then(() => {
  app.mount('#app')
  void restorePoolSettings(api)
})
