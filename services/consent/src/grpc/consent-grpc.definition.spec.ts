import { loadSync } from '@grpc/proto-loader';
import {
  ConsentCheckRequestV1,
  ConsentCheckResponseV1,
  ConsentEvidenceV1,
  ConsentHistoryRequestV1,
  ConsentHistoryResponseV1,
  ConsentRecordRequestV1,
  ConsentRecordResponseV1,
  ConsentRecordV1,
  consentProtoPath,
} from '@trustline/contracts';
import { getMetadataStorage } from 'class-validator';
import { existsSync } from 'node:fs';
import { CONSENT_PROTO_OPTIONS, CONSENT_SERVICE_NAME, loadConsentServiceDefinition } from './consent-grpc.definition';

interface FieldShape {
  readonly kind: 'string' | 'bool' | 'int' | 'message';
  readonly optional: boolean;
  readonly repeated: boolean;
}

interface ProtoField {
  name: string;
  label: string;
  type: string;
  oneofIndex: number;
}

const packageDefinition = loadSync(consentProtoPath(), CONSENT_PROTO_OPTIONS);

/** The fields of a proto message, camelCased by the loader (the names the server reads). */
function protoShape(message: string): Record<string, FieldShape> {
  const definition = packageDefinition[`trustline.consent.v1.${message}`] as {
    type: { field: ProtoField[]; oneofDecl: { name: string }[] };
  };
  // The loader's descriptors do not set proto3Optional; an `optional` field is the one member of its synthetic
  // oneof, named `_<field>`.
  const oneofs = definition.type.oneofDecl.map((oneof) => oneof.name);
  return Object.fromEntries(
    definition.type.field.map((field) => [
      field.name,
      {
        kind:
          field.type === 'TYPE_BOOL'
            ? 'bool'
            : field.type === 'TYPE_INT32' || field.type === 'TYPE_INT64'
              ? 'int'
              : field.type === 'TYPE_MESSAGE'
                ? 'message'
                : 'string',
        optional: oneofs[field.oneofIndex] === `_${field.name}`,
        repeated: field.label === 'LABEL_REPEATED',
      },
    ]),
  );
}

/** The fields of a contract class, read from its class-validator decorators. */
function contractShape(type: new () => object): Record<string, FieldShape> {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  const names = [...new Set(metadata.map((m) => m.propertyName))];
  return Object.fromEntries(
    names.map((name) => {
      const own = metadata.filter((m) => m.propertyName === name);
      const has = (validator: string) => own.some((m) => m.name === validator);
      return [
        name,
        {
          kind: own.some((m) => m.type === 'nestedValidation')
            ? 'message'
            : has('isBoolean')
              ? 'bool'
              : has('isInt')
                ? 'int'
                : 'string',
          optional: own.some((m) => m.type === 'conditionalValidation'),
          repeated: has('isArray') || own.some((m) => m.each),
        },
      ];
    }),
  );
}

const tenantId: FieldShape = { kind: 'string', optional: false, repeated: false };

describe('consent.proto', () => {
  it('is where @trustline/contracts says', () => {
    expect(existsSync(consentProtoPath())).toBe(true);
  });

  it('declares ConsentService with Check, History and Record', () => {
    expect(Object.keys(loadConsentServiceDefinition()).sort()).toEqual(['Check', 'History', 'Record']);
    expect(packageDefinition[CONSENT_SERVICE_NAME]).toBeDefined();
  });

  it.each([
    ['CheckRequest', ConsentCheckRequestV1, { tenantId }],
    ['CheckResponse', ConsentCheckResponseV1, {}],
    ['HistoryRequest', ConsentHistoryRequestV1, { tenantId }],
    ['HistoryResponse', ConsentHistoryResponseV1, {}],
    ['RecordRequest', ConsentRecordRequestV1, { tenantId }],
    ['RecordResponse', ConsentRecordResponseV1, {}],
    ['ConsentRecord', ConsentRecordV1, {}],
    ['ConsentEvidence', ConsentEvidenceV1, {}],
  ] as const)(
    '%s mirrors its contract class field for field (name, kind, optional, repeated)',
    (message, type, extra) => {
      expect(protoShape(message)).toEqual({ ...contractShape(type), ...extra });
    },
  );
});
