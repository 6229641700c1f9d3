import { createRouter, createWebHashHistory } from 'vue-router';
import SignIn from './pages/SignIn.vue';
import Layout from './pages/Layout.vue';

// Hash history: the server serves only "/" and the hashed assets, so a
// reload never asks it for a client-side path.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/signin', component: SignIn, meta: { title: '登录' } },
    {
      path: '/',
      component: Layout,
      children: [
        { path: '', component: () => import('./pages/Home.vue'), meta: { title: '首页' } },
        { path: 'subjects', component: () => import('./pages/SubjectSearch.vue'), meta: { title: '主体查询' } },
        { path: 'subjects/:code', component: () => import('./pages/SubjectPage.vue'), meta: { title: '主体详情' } },
        { path: 'statistics', component: () => import('./pages/Statistics.vue'), meta: { title: '统计' } },
      ],
    },
  ],
});
