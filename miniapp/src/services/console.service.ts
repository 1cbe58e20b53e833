import type {
  AdminDepartmentView,
  CategoryView,
  CreateCategoryInput,
  CreateDepartmentInput,
  CreateRoutingRuleInput,
  CreateReplyTemplateInput,
  PreviewRoutingRuleInput,
  ReplyTemplateView,
  RoutingPreviewView,
  RoutingRuleView,
  UpdateCategoryInput,
  UpdateDepartmentInput,
  UpdateReplyTemplateInput,
  UpdateRoutingRuleInput
} from '@palm/shared'
import { apiRequest } from './api-client'

/** The district centre's admin console (docs/console.md): categories, departments, routing rules and the replay before saving. */
export const consoleService = {
  listCategories: () => apiRequest<CategoryView[]>({ path: '/api/admin/categories' }),
  createCategory: (input: CreateCategoryInput) => apiRequest<CategoryView>({ method: 'POST', path: '/api/admin/categories', body: input }),
  updateCategory: (code: string, input: UpdateCategoryInput) => apiRequest<CategoryView>({ method: 'PATCH', path: `/api/admin/categories/${encodeURIComponent(code)}`, body: input }),

  listReplyTemplates: (category: string) => apiRequest<{ items: ReplyTemplateView[] }>({ path: '/api/reply-templates', query: { category } }).then((r) => r.items),
  createReplyTemplate: (input: CreateReplyTemplateInput) => apiRequest<ReplyTemplateView>({ method: 'POST', path: '/api/reply-templates', body: input }),
  updateReplyTemplate: (id: string, input: UpdateReplyTemplateInput) => apiRequest<ReplyTemplateView>({ method: 'PATCH', path: `/api/reply-templates/${encodeURIComponent(id)}`, body: input }),
  deleteReplyTemplate: (id: string) => apiRequest<void>({ method: 'DELETE', path: `/api/reply-templates/${encodeURIComponent(id)}` }),

  listDepartments: () => apiRequest<AdminDepartmentView[]>({ path: '/api/admin/departments' }),
  createDepartment: (input: CreateDepartmentInput) => apiRequest<AdminDepartmentView>({ method: 'POST', path: '/api/admin/departments', body: input }),
  updateDepartment: (code: string, input: UpdateDepartmentInput) => apiRequest<AdminDepartmentView>({ method: 'PATCH', path: `/api/admin/departments/${encodeURIComponent(code)}`, body: input }),

  listRules: () => apiRequest<RoutingRuleView[]>({ path: '/api/routing/rules' }),
  previewRule: (input: PreviewRoutingRuleInput) => apiRequest<RoutingPreviewView>({ method: 'POST', path: '/api/routing/rules/preview', body: input }),
  createRule: (input: CreateRoutingRuleInput) => apiRequest<RoutingRuleView>({ method: 'POST', path: '/api/routing/rules', body: input }),
  updateRule: (id: string, input: UpdateRoutingRuleInput) => apiRequest<RoutingRuleView>({ method: 'PATCH', path: `/api/routing/rules/${encodeURIComponent(id)}`, body: input }),
  deleteRule: (id: string) => apiRequest<unknown>({ method: 'DELETE', path: `/api/routing/rules/${encodeURIComponent(id)}` })
}
