//! The command-line client (`src/cli.rs`, behind the `cli` feature): one subcommand per
//! operation, named after its operationId, with parameters and body properties as flags.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc;
use super::structs::field_doc;
use super::typeref::{mentions, rust_type, Context};
use super::Options;
use crate::model::{
    find_type, Api, BodyFlag, Encoding, Feature, Field, Ident, Operation, SuccessType, TypeDef, TypeKind, TypeRef,
};

/// Whether the CLI can take a value of this type as one flag, parsed with `FromStr`.
fn parses_from_str(ty: &TypeRef, api: &Api) -> bool {
    match ty {
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::Int(_)
        | TypeRef::Float
        | TypeRef::Uuid
        | TypeRef::DateTime
        | TypeRef::Date => true,
        TypeRef::Named(name) => find(api, name).is_some_and(|d| d.traits.from_str),
        _ => false,
    }
}

fn find<'a>(api: &'a Api, name: &Ident) -> Option<&'a TypeDef> {
    find_type(&api.types, name)
}

fn body_fields<'a>(op: &Operation, api: &'a Api) -> &'a [Field] {
    crate::model::body_fields(op, &api.types)
}

pub fn cli(api: &Api, options: &Options) -> TokenStream {
    let krate = options.lib_name();
    let about = doc(&format!("Command-line client for {}.", api.title.trim()));
    let env_endpoint = &api.environment.endpoint;
    let zone = api.server.as_ref().and_then(|s| s.variables.iter().find_map(|v| Some((v, v.cli.as_ref()?))));
    let zone_field = zone.map(|(v, global)| {
        let (name, flag) = (&global.field, &global.flag);
        let env = &v.env_var;
        let help =
            super::docs::prose(&format!(" The server's `{}` (default: {}).", v.name, v.default)).replace('\n', " ");
        quote! {
            #[doc = #help]
            #[arg(long = #flag, env = #env, global = true)]
            #name: Option<String>,
        }
    });
    let zone_apply = zone.map(|(v, global)| {
        let name = &global.field;
        // `#name` is a `&String` already: `&#name` would be clippy's `needless_borrow`.
        let arg = if v.values.is_empty() {
            quote!(#name)
        } else {
            let ty = &v.type_name;
            quote!(&#krate::servers::#ty::from(#name.as_str()))
        };
        quote! {
            else if let Some(#name) = &cli.#name {
                builder = builder.base_url(#krate::servers::base_url(#arg));
            }
        }
    });
    let groups = groups(api);
    let auth = if api.security.is_empty() {
        quote! {}
    } else {
        let vars = api.environment.schemes.concat().join(", ");
        let message = format!("error: {{e}}; credentials are read from the environment ({vars})");
        let public: Vec<_> = api.operations.iter().filter(|op| op.security.is_empty() || op.auth_optional).collect();
        let public = (!public.is_empty()).then(|| {
            if api.features.is_empty() {
                let variants = public.iter().map(|op| &op.command.variant);
                return quote! {
                    // Operations that require no credentials run without them.
                    Err(_) if matches!(command, #(Command::#variants { .. })|*) => {}
                };
            }
            // One arm each, since a feature may leave a variant out.
            let arms = public.iter().map(|op| {
                let variant = &op.command.variant;
                let cfg = super::gate::cfg_feature(op.feature.as_ref());
                let pattern = match groups.iter().find(|g| Some(&g.feature.name) == op.feature.as_ref()) {
                    Some(Group { variant: group, feature, .. }) => {
                        let module = &feature.module;
                        quote!(Command::#group(#module::Command::#variant { .. }))
                    }
                    None => quote!(Command::#variant { .. }),
                };
                quote! { #cfg #pattern => true, }
            });
            let others = (public.len() < api.operations.len() || !api.features.is_empty()).then(|| {
                // With every feature on and every operation public, nothing is left to match.
                let allow = (public.len() == api.operations.len()).then(|| quote!(#[allow(unreachable_patterns)]));
                quote! { #allow _ => false, }
            });
            quote! {
                // Operations that require no credentials run without them.
                Err(_) if match &command { #(#arms)* #others } => {}
            }
        });
        quote! {
            // Every credential set: operations accepting different schemes each get theirs.
            match #krate::Auth::all_from_env() {
                Ok(auths) => builder = builder.auths(auths),
                #public
                Err(e) => {
                    eprintln!(#message);
                    return ExitCode::from(2);
                }
            }
        }
    };
    // A crate split by feature has the subcommands of each group in a file of its own,
    // flattened into `Command`: no file then holds the whole API, which a huge one would
    // make too large to format in reasonable memory, and the groups format in parallel.
    let (variants, arms, modules): (Vec<TokenStream>, Vec<TokenStream>, Vec<TokenStream>) = if groups.is_empty() {
        let variants = api.operations.iter().map(|op| variant(op, api, None)).collect();
        let arms = api.operations.iter().map(|op| arm(op, api, true)).collect();
        (variants, arms, Vec::new())
    } else {
        let triples = groups.iter().map(|Group { variant, feature, .. }| {
            let module = &feature.module;
            let path = format!("cli/{}.rs", module.unraw());
            let cfg = super::gate::cfg_feature(Some(&feature.name));
            (
                quote! { #cfg #[command(flatten)] #variant(#module::Command), },
                quote! { #cfg Command::#variant(command) => #module::run(client, options, command).await?, },
                quote! { #cfg #[path = #path] mod #module; },
            )
        });
        let mut out = (Vec::new(), Vec::new(), Vec::new());
        for (v, a, m) in triples {
            out.0.push(v);
            out.1.push(a);
            out.2.push(m);
        }
        out
    };
    let types = variants.iter().chain(&arms).any(|t| mentions(t, "types")).then(|| quote!(use #krate::types;));
    let events = arms.iter().any(|t| mentions(t, "cli_events")).then(|| quote!(use #krate::cli_events;));
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        //! The command-line client: `--help` lists the operations.

        use std::process::ExitCode;

        use clap::{Parser, Subcommand};
        #events
        use #krate::cli_support;
        #types

        #(#modules)*

        #about
        #[derive(Parser)]
        #[command(version)]
        struct Cli {
            /// The full base URL to send requests to, such as `http://127.0.0.1:8080/v2`.
            #[arg(long, env = #env_endpoint, global = true)]
            endpoint: Option<String>,
            #zone_field
            #[command(flatten)]
            options: cli_support::GlobalOptions,
            #[command(subcommand)]
            command: TopCommand,
        }

        /// The client's own subcommands, beside the operations'.
        #[derive(Subcommand)]
        #[allow(clippy::large_enum_variant)]
        enum TopCommand {
            /// Serves a recording made with `--record`: method, path and query select the
            /// recorded answer.
            Mock {
                /// The recording: one JSON line per exchange.
                #[arg(long = "cassette", value_name = "FILE")]
                mock_cassette: std::path::PathBuf,
                /// The port to listen on, on 127.0.0.1.
                #[arg(long = "port", value_name = "PORT", default_value_t = 8080)]
                mock_port: u16,
            },
            /// Lists what a recording's responses hold that the document does not declare:
            /// exits 1 if there is any, 0 if there is none.
            Drift {
                /// The recording: one JSON line per exchange.
                #[arg(value_name = "FILE")]
                drift_file: std::path::PathBuf,
            },
            #[command(flatten)]
            Operation(Command),
        }

        // One variant per operation, named by the document: they may share a prefix. Parsed
        // once per run, so a large variant costs nothing worth boxing for.
        #[derive(Subcommand)]
        #[allow(clippy::enum_variant_names, clippy::large_enum_variant)]
        enum Command {
            #(#variants)*
        }

        fn main() -> ExitCode {
            cli_support::run_on_large_stack(|| execute(Cli::parse()))
        }

        #[tokio::main(flavor = "current_thread")]
        async fn execute(cli: Cli) -> ExitCode {
            let command = match cli.command {
                TopCommand::Mock { mock_cassette, mock_port } => {
                    return cli_support::serve_cassette(&mock_cassette, mock_port);
                }
                TopCommand::Drift { drift_file } => {
                    return cli_support::print_drift(&drift_file, #krate::doubles::DOCUMENT);
                }
                TopCommand::Operation(command) => command,
            };
            let mut builder = cli.options.configure(#krate::Client::builder());
            builder = match cli.options.record(builder, #krate::doubles::redaction()) {
                Ok(builder) => builder,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            if let Some(endpoint) = &cli.endpoint {
                builder = builder.base_url(endpoint.clone());
            }
            #zone_apply
            #auth
            let client = match builder.build() {
                Ok(client) => client,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            match run(&client, &cli.options, command).await {
                Ok(code) => code,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }

        /// Sends one subcommand's request; `Err` is a problem with its flags (exit 2).
        async fn run(
            client: &#krate::Client,
            options: &cli_support::GlobalOptions,
            command: Command,
        ) -> Result<ExitCode, String> {
            Ok(match command {
                #(#arms)*
            })
        }

    }
}

/// The first line of a description, as a `///` line (clap shows it as the help).
fn flag_doc(text: Option<&str>, fallback: &str) -> String {
    let text = text.map(super::docs::prose);
    let fallback = super::docs::prose(fallback);
    let line =
        text.as_deref().and_then(|t| t.trim().lines().next()).filter(|l| !l.trim().is_empty()).unwrap_or(&fallback);
    // An empty `///` is clippy's `empty_docs` (an operationId of `""` gets here).
    format!(" {}", super::docs::expand_tabs(Some(line.trim()).filter(|l| !l.is_empty()).unwrap_or("(undocumented)")))
}

/// Fields of the subcommand's variant: parameters, then `--body` and the body's properties.
/// `order`: in a group's file, the operation's place in the whole API, so that `--help` lists
/// the subcommands in the document's order whichever file declares them (and without a
/// `#[cfg]`, which the group's module has).
fn variant(op: &Operation, api: &Api, order: Option<usize>) -> TokenStream {
    let name = &op.command.variant;
    let command = &op.command.name;
    let alias = op.command.alias.as_ref().map(|alias| quote!(, alias = #alias));
    let about = flag_doc(op.summary.as_deref().or(op.description.as_deref()), &op.id);
    let params = op
        .params
        .iter()
        .map(|p| {
            let field = &p.cli_field;
            let flag = &p.flag;
            let help = flag_doc(p.doc.as_deref(), &p.wire_name);
            let (item, is_array) = match &p.ty {
                TypeRef::Array(item) => (item.as_ref(), true),
                ty => (ty, false),
            };
            let item_ty = rust_type(item, Context::Crate);
            let parser =
                (!parses_from_str(item, api)).then(|| quote!(, value_parser = cli_support::parse_json::<#item_ty>));
            // A required `bool` would otherwise be a switch that cannot say `false`.
            let action =
                (p.required && !is_array && *item == TypeRef::Bool).then(|| quote!(, action = clap::ArgAction::Set));
            let ty = match (is_array, p.required) {
                (true, _) => quote!(Vec<#item_ty>),
                (false, true) => item_ty,
                (false, false) => quote!(Option<#item_ty>),
            };
            quote! {
                #[doc = #help]
                #[arg(long = #flag #parser #action)]
                #field: #ty,
            }
        })
        .collect::<Vec<_>>();
    let body = op.body.as_ref().map(|b| {
        let fields = body_fields(op, api)
            .iter()
            .zip(&op.command.body_flags)
            .map(|(f, BodyFlag { flag, value_name, field })| {
                let help = flag_doc(field_doc(f).as_deref(), &format!("The body's `{}` property.", f.wire_name()));
                quote! {
                    #[doc = #help]
                    #[arg(long = #flag, value_name = #value_name, conflicts_with = "body")]
                    #field: Option<String>,
                }
            })
            .collect::<Vec<_>>();
        let required = b.required && body_fields(op, api).is_empty();
        quote! {
            /// The whole request body, as JSON.
            #[arg(long, required = #required)]
            body: Option<String>,
            #(#fields)*
        }
    });
    let all_pages = op.pagination.as_ref().map(|paging| {
        // The stream sets the paging parameter itself.
        let conflicts = paging.param.as_ref().and_then(|(name, _)| {
            let field = op.params.iter().find(|p| &p.name == name)?.cli_field.unraw().to_string();
            Some(quote!(, conflicts_with = #field))
        });
        quote! {
            /// Every page: each item as one line of JSON, printed as its page arrives.
            #[arg(long = "all-pages" #conflicts)]
            all_pages: bool,
        }
    });
    let cfg = order.is_none().then(|| super::gate::cfg_feature(op.feature.as_ref()));
    let order = order.map(|i| {
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote!(, display_order = #i)
    });
    quote! {
        #[doc = #about]
        #cfg
        #[command(name = #command #alias #order)]
        #name {
            #(#params)*
            #all_pages
            #body
        },
    }
}

/// How the subcommand prints the operation's success: text as it came, a binary body or
/// server-sent events as they arrive, a body that may come as JSON or not as it comes,
/// anything else as JSON.
fn reporter(op: &Operation) -> TokenStream {
    match &op.success_type {
        SuccessType::Body(p) if p.encoding == Encoding::Text => quote!(cli_support::report_raw),
        SuccessType::Body(p) if p.encoding == Encoding::Bytes => quote!(cli_support::report_stream),
        SuccessType::Body(p) if p.encoding == Encoding::EventStream => quote!(cli_events::report_events),
        SuccessType::Body(p) if p.negotiated() => quote!(cli_support::report_content),
        _ => quote!(cli_support::report),
    }
}

/// The value of a required parameter's flag, as the operation's method takes it.
fn arg_value(p: &crate::model::Param) -> TokenStream {
    let arg = &p.cli_local;
    match &p.ty {
        TypeRef::Array(_) => quote!(&#arg),
        ty if crate::emit::typeref::is_copy(ty) => quote!(#arg),
        _ => quote!(&#arg),
    }
}

/// The call with an optional parameter's flag, when it was given, set by its method.
fn set_optional(p: &crate::model::Param) -> Option<TokenStream> {
    let setter = p.setter.as_ref()?;
    let arg = &p.cli_local;
    Some(match &p.ty {
        TypeRef::Array(_) => quote! { let call = if #arg.is_empty() { call } else { call.#setter(#arg) }; },
        _ => quote! {
            let call = match #arg {
                Some(value) => call.#setter(value),
                None => call,
            };
        },
    })
}

/// The match arm that calls the operation with the parsed flags and reports the outcome.
/// `gated`: with the operation's `#[cfg]` (not in a group's file, whose module has it).
fn arm(op: &Operation, api: &Api, gated: bool) -> TokenStream {
    let name = &op.command.variant;
    let method = &op.method_name;
    let bindings = op.params.iter().map(|p| {
        let (field, local) = (&p.cli_field, &p.cli_local);
        quote!(#field: #local)
    });
    let args = op.params.iter().filter(|p| p.required).map(arg_value);
    let optional = op.params.iter().filter_map(set_optional);
    let (body_bindings, body_stmt, body_arg, body_set) = match &op.body {
        None => (quote!(), quote!(), None, None),
        Some(b) => {
            let fields = body_fields(op, api);
            let names: Vec<_> = op.command.body_flags.iter().map(|b| &b.field).collect();
            let pairs = fields.iter().zip(&names).map(|(f, n)| {
                let wire = f.wire_name();
                let ty = f.ty.non_null();
                let is_string = matches!(ty, TypeRef::String | TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date)
                    || matches!(ty, TypeRef::Named(t) if matches!(find(api, t).map(|d| &d.kind), Some(TypeKind::Enum(_))));
                quote!((#wire, #n.map(|v| cli_support::flag_value(v, #is_string))))
            });
            let ty = rust_type(&b.payload.ty, Context::Crate);
            let parse = quote!(cli_support::parse_body(body, [#(#pairs),*])?);
            let given = quote!(body.is_some() #(|| #names.is_some())*);
            let setter = op.body_setter.as_ref();
            let set = |value: TokenStream| {
                quote! {
                    let call = match body {
                        Some(body) => call.#setter(#value),
                        None => call,
                    };
                }
            };
            let (stmt, arg, set) = match (b.payload.encoding, b.required) {
                (Encoding::Bytes, true) => (
                    quote!(),
                    Some(quote!(cli_support::binary_body(options, body).unwrap_or_else(|| Vec::new().into()))),
                    None,
                ),
                (Encoding::Bytes, false) => {
                    (quote! { let body = cli_support::binary_body(options, body); }, None, Some(set(quote!(body))))
                }
                (Encoding::Text, true) => (quote!(), Some(quote!(body.unwrap_or_default())), None),
                (Encoding::Text, false) => (quote!(), None, Some(set(quote!(body)))),
                (_, true) => (quote! { let body: #ty = #parse; }, Some(quote!(&body)), None),
                (_, false) => (
                    quote! { let body: Option<#ty> = if #given { Some(#parse) } else { None }; },
                    None,
                    Some(set(quote!(&body))),
                ),
            };
            (quote!(body, #(#names,)*), stmt, arg, set)
        }
    };
    let args = args.chain(body_arg);
    let report = reporter(op);
    let call = quote!(#report(options, call).await);
    let (all_pages, call) = match &op.pagination {
        Some(_) => {
            let call = quote! {
                if all_pages {
                    cli_support::report_pages(options, call.items()).await?
                } else {
                    #call
                }
            };
            (Some(quote!(all_pages,)), call)
        }
        None => (None, call),
    };
    // The command stays usable while the API still serves it; the method's own docs warn.
    let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    let cfg = gated.then(|| super::gate::cfg_feature(op.feature.as_ref()));
    quote! {
        #allow
        #cfg
        Command::#name { #(#bindings,)* #all_pages #body_bindings } => {
            #body_stmt
            let call = client.#method(#(#args),*);
            #(#optional)*
            #body_set
            #call
        }
    }
}

/// A group of subcommands: a feature of a split crate, declared in the CLI as the module
/// `feature.module` (`src/cli/<module>.rs`) and flattened into `Command` as `variant`.
struct Group<'a> {
    feature: &'a Feature,
    variant: &'a Ident,
}

fn groups(api: &Api) -> Vec<Group<'_>> {
    api.features.iter().map(|feature| Group { feature, variant: &feature.cli_variant }).collect()
}

/// The file of the subcommands of `api.features[index]` (`src/cli/<module>.rs`).
pub fn cli_group(api: &Api, options: &Options, index: usize) -> Vec<TokenStream> {
    let krate = options.lib_name();
    let feature = &api.features[index];
    let group = crate::escape::one_line(&feature.group);
    let doc = format!(" The subcommands of `{group}`, compiled with the feature `{}`.", feature.name);
    let members = || api.operations.iter().enumerate().filter(|(_, op)| op.feature.as_ref() == Some(&feature.name));
    let variants: Vec<TokenStream> = members().map(|(i, op)| variant(op, api, Some(i))).collect();
    let arms: Vec<TokenStream> = members().map(|(_, op)| arm(op, api, false)).collect();
    let types = variants.iter().chain(&arms).any(|t| mentions(t, "types")).then(|| quote!(use #krate::types;));
    let events = arms.iter().any(|t| mentions(t, "cli_events")).then(|| quote!(use #krate::cli_events;));
    // Three pieces, each parsed and printed on its own: a huge API's group has thousands of
    // subcommands.
    let head = quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![doc = #doc]

        use std::process::ExitCode;

        use clap::Subcommand;
        #events
        use #krate::cli_support;
        #types
    };
    let command = quote! {
        #[derive(Subcommand)]
        #[allow(clippy::enum_variant_names, clippy::large_enum_variant)]
        pub(super) enum Command {
            #(#variants)*
        }
    };
    drop(variants);
    let run = quote! {
        /// Sends one subcommand's request; `Err` is a problem with its flags (exit 2).
        pub(super) async fn run(
            client: &#krate::Client,
            options: &cli_support::GlobalOptions,
            command: Command,
        ) -> Result<ExitCode, String> {
            Ok(match command {
                #(#arms)*
            })
        }
    };
    vec![head, command, run]
}
