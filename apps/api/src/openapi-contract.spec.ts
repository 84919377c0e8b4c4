import 'reflect-metadata';
import { Body, Controller, Get, Param, Post, UseGuards } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiOkResponse,
  ApiProperty,
  DocumentBuilder,
  OpenAPIObject,
  ResponseObject,
  SchemaObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { IsString } from 'class-validator';
import { Public } from '@app/common';
import { completeOpenApiDocument } from './openapi-contract';

class ResultDto {
  @ApiProperty() score!: number;
}

class ThingDto {
  @ApiProperty() @IsString() name!: string;
  @ApiProperty({ type: ResultDto, nullable: true }) result!: ResultDto | null;
}

class ThrottledGuard extends ThrottlerGuard {}

@Public()
@Controller('open')
class OpenController {
  @Get()
  probe() {
    return 'ok';
  }

  @Get('token')
  @ApiBearerAuth()
  withOwnToken() {
    return 'ok';
  }

  @Post('login')
  @UseGuards(ThrottledGuard)
  login(@Body() body: ThingDto) {
    return body;
  }
}

@ApiBearerAuth()
@Controller('v1/organizations/:orgId/things')
class ThingsController {
  @Post()
  @ApiOkResponse({ type: ThingDto })
  @ApiConflictResponse({ description: 'Taken.' })
  create(@Param('orgId') _orgId: string, @Body() body: ThingDto) {
    return body;
  }

  @Get()
  list() {
    return [];
  }
}

describe('completeOpenApiDocument', () => {
  let app: NestFastifyApplication;
  let document: OpenAPIObject;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ThrottlerModule.forRoot([{ ttl: 60_000, limit: 10 }])],
      controllers: [OpenController, ThingsController],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.init();
    const config = new DocumentBuilder().addBearerAuth().build();
    document = SwaggerModule.createDocument(app, config);
    completeOpenApiDocument(app, document);
  });
  afterAll(() => app?.close());

  const operation = (path: string, method: 'get' | 'post') => document.paths[path][method]!;
  const statuses = (path: string, method: 'get' | 'post') =>
    Object.keys(operation(path, method).responses);

  it('sets security from @Public(): none, optional when the route documents a bearer, else bearer', () => {
    expect(operation('/open', 'get').security).toEqual([]);
    expect(operation('/open/token', 'get').security).toEqual([{}, { bearer: [] }]);
    expect(operation('/v1/organizations/{orgId}/things', 'get').security).toEqual([{ bearer: [] }]);
  });

  it('documents the errors each route can answer', () => {
    expect(statuses('/open', 'get')).toEqual(['200', '400', '500']);
    expect(statuses('/open/login', 'post')).toEqual(['201', '400', '413', '415', '429', '500']);
    expect(statuses('/v1/organizations/{orgId}/things', 'get')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '500',
    ]);
    expect(statuses('/v1/organizations/{orgId}/things', 'post')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '415',
      '500',
    ]);
  });

  it('gives every error the ProblemDetails body, keeping specific descriptions', () => {
    const responses = operation('/v1/organizations/{orgId}/things', 'post').responses as Record<
      string,
      ResponseObject
    >;
    expect(responses['409']).toEqual({
      description: 'Taken.',
      content: {
        'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } },
      },
    });
    expect(responses['200'].content?.['application/problem+json']).toBeUndefined();
    expect(document.components?.schemas?.ProblemDetails).toMatchObject({
      required: ['type', 'title', 'status', 'instance', 'requestId'],
    });
    const tooMany = operation('/open/login', 'post').responses['429'] as ResponseObject;
    expect(Object.keys(tooMany.headers ?? {})).toEqual(['Retry-After']);
  });

  it('writes a nullable reference as anyOf [$ref, null]', () => {
    const thing = document.components?.schemas?.ThingDto as SchemaObject;
    expect(thing.properties?.result).toEqual({
      anyOf: [
        { $ref: '#/components/schemas/ResultDto' },
        { type: 'object', nullable: true, enum: [null] },
      ],
    });
  });

  it('refuses an operation it cannot trace to a controller method', () => {
    const copy = JSON.parse(
      JSON.stringify(
        SwaggerModule.createDocument(app, {
          openapi: '3.0.0',
          info: { title: 't', version: '1' },
        }),
      ),
    ) as OpenAPIObject;
    copy.paths['/open'].get!.operationId = 'Nowhere_probe';
    expect(() => completeOpenApiDocument(app, copy)).toThrow(/Nowhere_probe matches no controller/);
  });
});
