import { createRouter, createWebHashHistory } from 'vue-router';
import SignIn from './pages/SignIn.vue';
import Layout from './pages/Layout.vue';

// Hash history: the server serves only "/" and the hashed assets, so a
// reload never asks it for a client-side path.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/signin', component: SignIn, meta: { title: '登录' } },
    // Every document of a case on one A4 page, without the menu.
    { path: '/print/:id', component: () => import('./pages/PrintView.vue'), meta: { title: '打印文书' } },
    {
      path: '/',
      component: Layout,
      children: [
        { path: '', component: () => import('./pages/Home.vue'), meta: { title: '首页' } },
        { path: 'subjects', component: () => import('./pages/SubjectSearch.vue'), meta: { title: '主体查询' } },
        { path: 'subjects/:code', component: () => import('./pages/SubjectPage.vue'), meta: { title: '主体详情' } },
        // The caseworker's window.
        { path: 'commitments/new', component: () => import('./pages/CommitmentFile.vue'), meta: { title: '办理信用承诺' } },
        { path: 'cases/:id', component: () => import('./pages/CasePage.vue'), meta: { title: '案件办理' } },
        { path: 'repairs/new', component: () => import('./pages/RepairNew.vue'), meta: { title: '受理信用修复' } },
        { path: 'repairs/:id', component: () => import('./pages/RepairPage.vue'), meta: { title: '信用修复申请' } },
        // The department inbox and the auditor's desk.
        { path: 'inbox', component: () => import('./pages/DeptInbox.vue'), meta: { title: '部门任务' } },
        { path: 'tasks/:id', component: () => import('./pages/DeptTask.vue'), meta: { title: '任务办理' } },
        { path: 'audit', component: () => import('./pages/AuditCase.vue'), meta: { title: '案件审计' } },
        { path: 'audit/cases/:id', component: () => import('./pages/AuditCase.vue'), meta: { title: '案件审计' } },
        { path: 'audit/store', component: () => import('./pages/AuditStore.vue'), meta: { title: '全库核验' } },
        { path: 'statistics', component: () => import('./pages/Statistics.vue'), meta: { title: '统计' } },
      ],
    },
  ],
});
