import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router.js';
import { session, loadSession } from './session.js';
import { whenSignedOut } from './api.js';
import './style.css';

router.beforeEach(async (to) => {
  if (!session.checked) await loadSession();
  if (to.path !== '/signin' && !session.user) return { path: '/signin', query: { next: to.fullPath } };
  if (to.path === '/signin' && session.user) return '/';
  return true;
});
router.afterEach((to) => {
  document.title = `${to.meta.title || ''} · 信用承诺与信用修复工作台`;
});
whenSignedOut(() => {
  session.user = null;
  router.push('/signin');
});

createApp(App).use(router).mount('#app');
