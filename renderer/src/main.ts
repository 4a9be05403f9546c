import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { connectApi } from './api'
import { setApi } from './api/current'
import { startSync } from './api/sync'
import { storeSink } from './stores/sync'
import './styles/main.css'

const pinia = createPinia()
const app = createApp(App).use(pinia)
const api = connectApi()
setApi(api)
startSync(api, storeSink())
app.mount('#app')
