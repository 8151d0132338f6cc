//! SQL fragments whose text differs between SQLite and PostgreSQL (aggregate functions), as
//! expressions diesel can select. Each is a type of its own with fixed text per backend, so that
//! diesel keeps the statements that use them prepared (a `sql()` literal would be prepared again
//! on every call).

/// Declares a unit struct that is an SQL expression of type `$st`, written `$sqlite` on SQLite
/// and `$pg` on PostgreSQL, that refers to `$table` (which must then be in the query's FROM).
macro_rules! dialect_expression {
    ($(#[$doc:meta])* $name:ident: $st:ty, on $table:ty, sqlite: $sqlite:expr, postgres: $pg:expr $(,)?) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, diesel::query_builder::QueryId)]
        pub(crate) struct $name;

        impl diesel::expression::Expression for $name {
            type SqlType = $st;
        }

        impl<QS> diesel::expression::SelectableExpression<QS> for $name where $name: diesel::expression::AppearsOnTable<QS> {}

        impl<QS> diesel::expression::AppearsOnTable<QS> for $name where
            QS: diesel::query_source::AppearsInFromClause<$table, Count = diesel::query_source::Once>
        {
        }

        impl diesel::expression::ValidGrouping<()> for $name {
            type IsAggregate = diesel::expression::is_aggregate::Never;
        }

        impl diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite> for $name {
            fn walk_ast<'b>(
                &'b self,
                mut out: diesel::query_builder::AstPass<'_, 'b, diesel::sqlite::Sqlite>,
            ) -> diesel::QueryResult<()> {
                out.push_sql($sqlite);
                Ok(())
            }
        }

        impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for $name {
            fn walk_ast<'b>(
                &'b self,
                mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
            ) -> diesel::QueryResult<()> {
                out.push_sql($pg);
                Ok(())
            }
        }

        impl diesel::query_builder::QueryFragment<$crate::db::MultiBackend> for $name {
            fn walk_ast<'b>(
                &'b self,
                pass: diesel::query_builder::AstPass<'_, 'b, $crate::db::MultiBackend>,
            ) -> diesel::QueryResult<()> {
                $crate::db::MultiBackend::walk_variant_ast(self, pass)
            }
        }
    };
}

pub(crate) use dialect_expression;
