import * as tsParser from '@typescript-eslint/parser';
import { RuleTester } from 'eslint';
import rule from './controller-access-declared.mjs';

const ruleTester = new RuleTester({ languageOptions: { parser: tsParser } });
const filename = 'services/consent/src/consent/consent.controller.ts';
const undeclared = (code: string, className: string, method: string) => ({
  code,
  filename,
  errors: [{ messageId: 'undeclared', data: { className, method } }],
});

ruleTester.run('controller-access-declared', rule, {
  valid: [
    {
      filename,
      code: `
        @Controller('consents')
        export class ConsentController {
          @Get(':id') @RequirePermission('consent:read') find() {}
          @Post() @RequirePermission('consent:write') record() {}
          @Get('health') @Public() health() {}
          helper() {}
        }`,
    },
    {
      // Declared once for the whole controller.
      filename,
      code: `
        @Public()
        @Controller('webhook')
        export class WebhookController {
          @Get() verify() {}
          @Post() receive() {}
        }`,
    },
    {
      filename,
      code: `
        @Controller('admin') @RequirePermission('admin')
        export class AdminController { @Delete(':id') remove() {} @Patch(':id') update() {} }`,
    },
    {
      // Namespaced decorators count by their name.
      filename,
      code: `
        @common.Controller()
        export class Ns { @common.Put() @auth.Public() put() {} }`,
    },
    {
      // Not a controller: route-looking decorators elsewhere are not checked.
      filename,
      code: `export class Handler { @Get() find() {} }`,
    },
  ],
  invalid: [
    undeclared(
      `@Controller('consents') export class ConsentController { @Get(':id') find() {} }`,
      'ConsentController',
      'find',
    ),
    ...(['Post', 'Put', 'Patch', 'Delete'] as const).map((verb) =>
      undeclared(`@Controller() export class C { @${verb}() handle() {} }`, 'C', 'handle'),
    ),
    undeclared(`@Controller() export class C { @Get() @UseGuards(Other) guarded() {} }`, 'C', 'guarded'),
    {
      // Every undeclared route is reported, declared ones are not.
      filename,
      code: `
        @Controller('consents')
        export class ConsentController {
          @Get() @Public() list() {}
          @Post() create() {}
          @Delete(':id') remove() {}
        }`,
      errors: [
        { messageId: 'undeclared', data: { className: 'ConsentController', method: 'create' } },
        { messageId: 'undeclared', data: { className: 'ConsentController', method: 'remove' } },
      ],
    },
    {
      filename,
      code: `export const Anonymous = @Controller() class { @Get() find() {} };`,
      errors: [{ messageId: 'undeclared', data: { className: '(anonymous)', method: 'find' } }],
    },
  ],
});
